// The kiosk's words, Bahasa Indonesia first.

export const TEXT = {
  id: {
    choose_service: "Silakan pilih layanan",
    waiting: "{n} menunggu",
    your_number: "Nomor antrean Anda",
    ahead: "Di depan Anda: {n} orang",
    estimate: "Perkiraan waktu tunggu: {estimate}",
    scan_hint: "Pindai atau foto kode QR ini untuk memantau antrean Anda",
    qr_alt: "Kode QR halaman status nomor {number}",
    done: "Selesai",
    back: "Kembali",
    returning: "Kembali ke awal dalam {n} detik",
    issue_failed: "Nomor antrean belum dapat diambil",
    hall_failed: "Daftar layanan belum dapat dimuat. Mencoba lagi…",
    no_services: "Belum ada layanan.",
  },
  en: {
    choose_service: "Please choose a service",
    waiting: "{n} waiting",
    your_number: "Your queue number",
    ahead: "Ahead of you: {n} people",
    estimate: "Estimated wait: {estimate}",
    scan_hint: "Scan or photograph this QR code to follow your queue",
    qr_alt: "QR code of the status page of number {number}",
    done: "Done",
    back: "Back",
    returning: "Back to the start in {n} s",
    issue_failed: "Could not take a queue number",
    hall_failed: "Could not load the services. Trying again…",
    no_services: "No services yet.",
  },
};
