"""Run the print agent: `python -m kiosk.agent --kiosk K1 --printer usb:0416:5011`.

Pair it once first: `antre-print-agent --pair CODE --token-file /etc/antre/agent.token`."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.agent.client import DEFAULT_STATUS_INTERVAL_S, AgentLink, Device
from kiosk.agent.pairing import PairingFailed, read_token, redeem, write_token
from kiosk.agent.paper import DEFAULT_PROFILE, Paper, UnknownProfile, ticket_paper
from kiosk.agent.printers import PrinterUnavailable, parse_printer_uri, printer_factory
from kiosk.agent.runner import DEFAULT_PRINT_TIMEOUT_S, PrintAgent

log = logging.getLogger("kiosk.agent")


@dataclass(frozen=True)
class Settings:
    """How this kiosk's agent is set up, from the command line and the environment."""

    device: Device
    printer: str
    paper: Paper
    status_interval_s: float
    print_timeout_s: float
    verbose: bool
    pair_code: str | None = None
    token_file: Path | None = None


def build_parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    """Describe the command line; environment variables give the defaults."""
    parser = argparse.ArgumentParser(
        prog="antre-print-agent", description="Print Antre queue tickets on this kiosk's printer."
    )
    server = environ.get("ANTRE_SERVER", "http://localhost:5000")
    parser.add_argument("--server", default=server, help="server URL [ANTRE_SERVER]")
    parser.add_argument(
        "--kiosk", default=environ.get("ANTRE_KIOSK"), help="kiosk code [ANTRE_KIOSK]"
    )
    token = environ.get("ANTRE_DEVICE_TOKEN", "")
    parser.add_argument("--token", default=token, help="device token [ANTRE_DEVICE_TOKEN]")
    token_file = environ.get("ANTRE_DEVICE_TOKEN_FILE")
    parser.add_argument(
        "--token-file",
        type=Path,
        default=token_file,
        help="file with the device token [ANTRE_DEVICE_TOKEN_FILE]",
    )
    parser.add_argument(
        "--pair", metavar="CODE", help="pair with a one-time code, keep the token, exit"
    )
    printer = environ.get("ANTRE_PRINTER", "dummy:")
    parser.add_argument("--printer", default=printer, help="printer URI [ANTRE_PRINTER]")
    parser.add_argument("--paper", type=int, choices=(58, 80), default=80, help="paper width, mm")
    parser.add_argument("--profile", default=DEFAULT_PROFILE, help="python-escpos printer profile")
    parser.add_argument("--status-interval", type=_seconds, default=DEFAULT_STATUS_INTERVAL_S)
    parser.add_argument("--print-timeout", type=_seconds, default=DEFAULT_PRINT_TIMEOUT_S)
    parser.add_argument("--verbose", action="store_true", help="also log Socket.IO traffic")
    return parser


def _seconds(text: str) -> float:
    """Read a positive number of seconds."""
    seconds = float(text)
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {text}")
    return seconds


def read_settings(argv: Sequence[str] | None, environ: Mapping[str, str]) -> Settings:
    """Read and check the settings; exit with a usage message when they cannot work."""
    parser = build_parser(environ)
    args = parser.parse_args(argv)
    if not args.kiosk and not args.pair:
        parser.error("the kiosk code is required: --kiosk CODE or ANTRE_KIOSK")
    token = args.token
    if not token and not args.pair and args.token_file is not None:
        try:
            token = read_token(args.token_file)
        except OSError as error:
            parser.error(f"cannot read the token file {args.token_file}: {error.strerror}")
    try:
        parse_printer_uri(args.printer)
        paper = ticket_paper(args.paper, args.profile)
    except (PrinterUnavailable, UnknownProfile) as error:
        parser.error(str(error))
    return Settings(
        device=Device(server_url=args.server, kiosk=args.kiosk or "", token=token),
        printer=args.printer,
        paper=paper,
        status_interval_s=args.status_interval,
        print_timeout_s=args.print_timeout,
        verbose=args.verbose,
        pair_code=args.pair,
        token_file=args.token_file,
    )


def pair(settings: Settings) -> int:
    """Redeem the one-time code and keep the token: in `--token-file`, or shown once."""
    try:
        paired = redeem(settings.device.server_url, settings.pair_code or "")
    except PairingFailed as error:
        print(f"pairing failed: {error}", file=sys.stderr)
        return 1
    if paired.kind != "kiosk":
        print(f"that code paired {paired.kind} {paired.code}, not a kiosk", file=sys.stderr)
        return 1
    print(f"paired as kiosk {paired.code} ({paired.name})")
    if settings.token_file is None:
        print("keep this line in the agent's environment file (shown only now):")
        print(f"ANTRE_DEVICE_TOKEN={paired.token}")
    else:
        write_token(settings.token_file, paired.token)
        print(f"token written to {settings.token_file}; start the agent with --token-file")
    return 0


def configure_logging(verbose: bool) -> None:
    """Log to stderr; Socket.IO's own chatter only when verbose."""
    # force: python-escpos already called logging.basicConfig() when it was imported.
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    chatter = logging.INFO if verbose else logging.WARNING
    for name in ("kiosk.agent.socketio", "kiosk.agent.engineio"):
        logging.getLogger(name).setLevel(chatter)


def build_link(settings: Settings) -> AgentLink:
    """Build the agent and its server link; the printer is only opened when first needed."""
    timeout_s = settings.print_timeout_s
    printer = printer_factory(settings.printer, settings.paper, timeout_s)
    agent = PrintAgent(printer, settings.paper, print_timeout_s=timeout_s)
    return AgentLink(agent, settings.device, status_interval_s=settings.status_interval_s)


def stop_on_signals(stop: threading.Event) -> None:
    """Let SIGINT (Ctrl+C) and SIGTERM (systemd) stop the agent cleanly."""
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda number, frame: stop.set())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the print agent until it is stopped by a signal."""
    settings = read_settings(argv, os.environ)
    if settings.pair_code:
        return pair(settings)
    configure_logging(settings.verbose)
    link = build_link(settings)
    stop = threading.Event()
    stop_on_signals(stop)
    log.info(
        "print agent for kiosk %s: server %s, printer %s, %d mm paper, profile %s",
        settings.device.kiosk,
        settings.device.server_url,
        settings.printer,
        settings.paper.width_mm,
        settings.paper.profile,
    )
    link.serve(stop)
    log.info("print agent stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
