// The start page: one display link per zone of the hall.

import { api } from "/static/api.js";
import { element, fill } from "/static/dom.js";

async function listZones() {
  const hall = await api("/api/v1/hall");
  document.getElementById("hall-name").textContent = hall.name;
  document.title = `${hall.name} — Antre`;
  if (!hall.zones.length) return;
  const links = hall.zones.map((zone) => {
    const url = new URL("/display", window.location.origin);
    url.searchParams.set("zone", zone.id);
    return element(
      "li",
      {},
      element(
        "a",
        { href: url.pathname + url.search },
        `Layar panggilan — ${zone.name}`,
        element("small", {}, `Hall display: ${zone.name}`),
      ),
    );
  });
  fill(document.getElementById("display-links"), ...links);
}

listZones().catch((error) => console.error("could not list the zones", error));
