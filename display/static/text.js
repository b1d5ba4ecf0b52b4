// The hall display's words: it speaks Bahasa Indonesia.

export const TEXT = {
  id: {
    now_calling: "Nomor antrean",
    no_call: "Belum ada panggilan",
    recall: "Panggilan ulang",
    counters: "Loket",
    last_calls: "Panggilan terakhir",
    no_calls: "Belum ada panggilan hari ini",
    waiting: "Menunggu",
    waiting_count: "{n}",
    counter_break: "Istirahat",
    counter_closed: "Tutup",
    ticket_serving: "Dilayani",
    enable_sound: "Klik untuk mengaktifkan suara",
    zone_failed: "Layar belum dapat dimuat: {message}",
    no_zone: "Belum ada zona di aula ini.",
  },
};
