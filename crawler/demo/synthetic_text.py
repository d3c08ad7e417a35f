"""Name lists and sentence templates for crawler/demo/synthetic.py (benchmark articles).

Templates use str.format fields filled per article: {city}, {gov}, {head}, {partner}, ...
"""

from __future__ import annotations

from typing import Any

PLACES: list[dict[str, str]] = [
    {"dateline": "KOTA BANDUNG", "city": "Kota Bandung", "gov": "Pemkot Bandung",
     "head": "Wali Kota Bandung", "head_name": "Arif Rahmansyah", "prov": "Jawa Barat"},
    {"dateline": "BENGKULU", "city": "Kota Bengkulu", "gov": "Pemkot Bengkulu",
     "head": "Wali Kota Bengkulu", "head_name": "Darmawan Syahputra", "prov": "Bengkulu"},
    {"dateline": "SOREANG", "city": "Kabupaten Bandung", "gov": "Pemkab Bandung",
     "head": "Bupati Bandung", "head_name": "Yayan Sofyan", "prov": "Jawa Barat"},
    {"dateline": "CIMAHI", "city": "Kota Cimahi", "gov": "Pemkot Cimahi",
     "head": "Wali Kota Cimahi", "head_name": "Ngatiyo Rahardjo", "prov": "Jawa Barat"},
    {"dateline": "CURUP", "city": "Kabupaten Rejang Lebong", "gov": "Pemkab Rejang Lebong",
     "head": "Bupati Rejang Lebong", "head_name": "Syamsul Effendi", "prov": "Bengkulu"},
    {"dateline": "GARUT", "city": "Kabupaten Garut", "gov": "Pemkab Garut",
     "head": "Bupati Garut", "head_name": "Rudy Gunadi", "prov": "Jawa Barat"},
    {"dateline": "MUKOMUKO", "city": "Kabupaten Mukomuko", "gov": "Pemkab Mukomuko",
     "head": "Bupati Mukomuko", "head_name": "Hapeli Sapri", "prov": "Bengkulu"},
    {"dateline": "SUMEDANG", "city": "Kabupaten Sumedang", "gov": "Pemkab Sumedang",
     "head": "Bupati Sumedang", "head_name": "Dony Ramdhani", "prov": "Jawa Barat"},
    {"dateline": "ARGA MAKMUR", "city": "Kabupaten Bengkulu Utara", "gov": "Pemkab Bengkulu Utara",
     "head": "Bupati Bengkulu Utara", "head_name": "Mian Saputra", "prov": "Bengkulu"},
    {"dateline": "TASIKMALAYA", "city": "Kota Tasikmalaya", "gov": "Pemkot Tasikmalaya",
     "head": "Wali Kota Tasikmalaya", "head_name": "Viman Hidayat", "prov": "Jawa Barat"},
]

VALUES: dict[str, list[str]] = {
    "partner": ["Kota Hamamatsu, Jepang", "Kota Daegu, Korea Selatan", "Kota Eindhoven, Belanda",
                "Negeri Sembilan, Malaysia", "Kota Suwon, Korea Selatan", "Kota Toyama, Jepang",
                "Kota Kuantan, Malaysia", "Universitas Teknologi Priangan",
                "Politeknik Negeri Rafflesia", "PT Tirta Mandiri Lestari",
                "RSUD Sekar Wangi", "Kedutaan Besar Jepang"],
    "field": ["kesehatan", "pendidikan vokasi", "pengelolaan sampah", "pariwisata",
              "air bersih", "transportasi publik", "ekonomi kreatif", "pertanian"],
    "field2": ["pertukaran pelajar", "pelatihan tenaga kerja", "UMKM", "kebudayaan",
               "energi terbarukan", "digitalisasi layanan publik"],
    "party1": ["Partai Gerakan Rakyat", "Partai Karya Bangsa", "Partai Nurani Nusantara"],
    "party2": ["Partai Amanat Daerah", "Partai Bintang Persatuan", "PKS"],
    "team": ["Persikota FC", "PS Rafflesia", "Bandung United", "Garuda Muda FC"],
    "opp": ["Persiku Muda", "Sriwijaya Junior", "PSKC Cimahi", "Bengkulu Raya FC"],
    "street": ["Jalan Soekarno-Hatta", "Jalan Raya Curup", "Jalan Kopo", "Jalan Padang Harapan",
               "Jalan Cibaduyut", "Jalan Salak"],
    "river": ["Sungai Citarum", "Sungai Air Bengkulu", "Sungai Cikapundung", "Sungai Ketahun"],
    "org": ["PKK", "PMI", "Karang Taruna", "Dharma Wanita Persatuan", "Forum Anak Daerah"],
    "agency": ["Dinas Kesehatan", "Dinas Pekerjaan Umum", "BPBD", "Dinas Perdagangan",
               "Dinas Pendidikan", "Dinas Lingkungan Hidup"],
    "village": ["Kelurahan Sukajadi", "Desa Talang Rimbo", "Kelurahan Cibeunying",
                "Desa Padang Jaya", "Kelurahan Pasar Baru"],
    "commodity": ["cabai merah", "beras medium", "bawang merah", "telur ayam", "minyak goreng"],
}

COMMON = [
    "Kegiatan tersebut berlangsung di {city}, {day} ({date}).",
    "Hadir dalam kesempatan itu sejumlah kepala perangkat daerah dan unsur forkopimda.",
    "Ia berharap masyarakat dapat memantau perkembangan informasi melalui kanal resmi pemerintah.",
    "Menurutnya, langkah ini sejalan dengan program prioritas daerah tahun anggaran berjalan.",
    "Sejumlah warga yang ditemui mengaku menyambut baik kabar tersebut.",
    "Pihaknya akan melakukan evaluasi secara berkala agar hasilnya terukur.",
    "Data yang dihimpun menunjukkan ada sekitar {num} titik yang menjadi perhatian.",
    "Anggaran yang disiapkan untuk kegiatan ini mencapai Rp{money} miliar.",
    "Acara ditutup dengan sesi foto bersama dan peninjauan lokasi.",
    "Ia menegaskan seluruh proses dilakukan secara terbuka dan sesuai aturan.",
    "Kepala {agency} menyebut pihaknya sudah menyiapkan petugas di lapangan.",
    "Warga {village} termasuk yang paling merasakan dampaknya.",
    "Sementara itu, anggota DPRD setempat meminta agar pelaksanaan diawasi dengan ketat.",
    "Informasi lebih lanjut dapat diperoleh di kantor kelurahan masing-masing.",
    "Ia juga mengingatkan agar warga tidak mudah percaya pada kabar yang belum jelas sumbernya.",
    "Pemerintah daerah menargetkan pekerjaan rampung sebelum akhir tahun.",
    "Menurut catatan panitia, jumlah peserta tahun ini naik dibandingkan tahun lalu.",
    "Hingga berita ini diturunkan, kegiatan masih berlangsung dengan tertib.",
    "Dalam keterangannya, ia menyebut persiapan sudah dilakukan sejak beberapa pekan lalu "
    "dengan melibatkan aparat kewilayahan, mulai dari camat, lurah, hingga ketua RW.",
    "Ia menambahkan, laporan dari warga menjadi bahan penting untuk menentukan langkah "
    "berikutnya, sehingga pemerintah tidak hanya bekerja berdasarkan asumsi di atas meja.",
    "Sejumlah pedagang di sekitar lokasi mengaku aktivitas mereka sempat terganggu, namun "
    "mereka memahami bahwa kegiatan tersebut pada akhirnya untuk kepentingan bersama.",
    "Pantauan di lapangan menunjukkan petugas berjaga sejak pagi, sementara arus kendaraan "
    "di jalan utama terpantau ramai lancar hingga siang hari.",
    "Menurut data {agency}, jumlah warga yang terdampak pada periode yang sama tahun lalu "
    "jauh lebih kecil, sehingga tren ini perlu diwaspadai bersama.",
    "Ia menuturkan, pihaknya sudah berkoordinasi dengan pemerintah provinsi {prov} agar "
    "dukungan anggaran dan tenaga teknis bisa segera diturunkan.",
    "Seorang warga, Ujang (45), mengatakan dirinya sudah lama menunggu perhatian pemerintah "
    "dan berharap janji yang disampaikan kali ini benar-benar ditepati.",
    "Di sisi lain, kalangan akademisi mengingatkan pentingnya transparansi agar publik bisa "
    "ikut mengawasi penggunaan anggaran daerah.",
    "Kegiatan ini juga disiarkan langsung melalui akun media sosial resmi pemerintah daerah "
    "sehingga warga yang tidak hadir tetap bisa mengikuti jalannya acara.",
    "Ia berjanji akan turun langsung ke lapangan untuk memastikan setiap keluhan warga "
    "ditangani dan tidak berhenti sebagai catatan di atas kertas.",
    "Hasil evaluasi akan dilaporkan kepada kepala daerah dalam rapat pimpinan pekan depan, "
    "termasuk usulan perbaikan untuk tahun anggaran mendatang.",
    "Camat setempat menyebut wilayahnya memiliki {num} RW dengan kepadatan penduduk tinggi, "
    "sehingga penanganan harus dilakukan bertahap dan terencana.",
    "Sebelumnya, persoalan serupa sempat dibahas dalam musyawarah perencanaan pembangunan "
    "tingkat kecamatan, tetapi belum mendapat alokasi anggaran.",
    "Ia pun mengapresiasi peran relawan dan organisasi kemasyarakatan yang selama ini "
    "membantu pemerintah menjangkau warga hingga ke gang-gang sempit.",
    "Menjelang akhir tahun, pemerintah daerah berupaya mempercepat serapan anggaran agar "
    "program yang sudah direncanakan tidak tertunda ke tahun berikutnya.",
    "Ketua RW setempat, Dedi Kurniawan, mengatakan warganya siap dilibatkan asalkan ada "
    "pemberitahuan yang jelas dan jadwal yang tidak berubah-ubah.",
]

KINDS: dict[str, dict[str, Any]] = {
    "partnership": {
        "section": "Pemerintahan", "tags": ["{gov}", "Kerja Sama Daerah"],
        "captions": ["{head} {head_name} saat menerima delegasi {partner}",
                     "Suasana pertemuan {gov} dengan {partner}"],
        "titles_exploring": ["{gov} Jajaki Kerja Sama {field} dengan {partner}",
                             "{head} Terima Kunjungan {partner}, Bahas Peluang Kerja Sama",
                             "Jajaki Kerjasama Bidang {field}, {gov} Temui {partner}"],
        "titles_negotiating": ["{gov} dan {partner} Matangkan Draf Nota Kesepahaman",
                               "Kerja Sama {field} dengan {partner} Masuk Tahap Pembahasan"],
        "titles_signed": ["{gov} Teken MoU dengan {partner} di Bidang {field}",
                          "Resmi, {gov} dan {partner} Tandatangani Nota Kesepahaman"],
        "titles_renewed": ["{gov} Perpanjang Kerja Sama {field} dengan {partner}",
                           "MoU dengan {partner} Diperpanjang Lima Tahun"],
        "leads_exploring": ["{gov} menerima kunjungan delegasi {partner} di balai kota, {day} ({date}), untuk menjajaki kerja sama di bidang {field} dan {field2}."],
        "leads_negotiating": ["{gov} bersama {partner} kembali menggelar pertemuan lanjutan untuk membahas draf nota kesepahaman kerja sama bidang {field}, {day} ({date})."],
        "leads_signed": ["{gov} resmi menandatangani nota kesepahaman (MoU) dengan {partner} di bidang {field} dan {field2}, {day} ({date})."],
        "leads_renewed": ["{gov} dan {partner} sepakat memperpanjang nota kesepahaman kerja sama bidang {field} yang berakhir tahun ini, {day} ({date})."],
        "body": [
            "{head} {head_name} mengatakan kerja sama ini diharapkan membawa manfaat nyata bagi warga.",
            "Menurut {head_name}, bidang {field} dipilih karena menjadi kebutuhan mendesak daerah.",
            "Perwakilan {partner} menyampaikan ketertarikan untuk berbagi pengalaman dalam bidang {field2}.",
            "Kedua pihak juga membuka peluang program {field2} bagi generasi muda.",
            "Bagian Kerja Sama Setda akan menindaklanjuti pertemuan ini dengan menyusun kajian kebutuhan.",
        ],
        "body_exploring": [
            "Pertemuan ini masih bersifat penjajakan awal dan belum sampai pada kesepakatan tertulis.",
            "Kedua pihak sepakat membentuk tim kecil untuk memetakan potensi yang bisa dikerjasamakan.",
        ],
        "body_negotiating": [
            "Pembahasan draf kini menyentuh pembagian peran, pendanaan, dan jangka waktu kerja sama.",
            "Untuk mitra luar negeri, rancangan kerja sama masih menunggu persetujuan DPRD.",
        ],
        "body_signed": [
            "Penandatanganan disaksikan jajaran perangkat daerah dan pimpinan {partner}.",
            "Setelah MoU, kedua pihak akan menyusun perjanjian kerja sama (PKS) teknis.",
        ],
        "body_renewed": [
            "Kerja sama sebelumnya dinilai berhasil sehingga layak dilanjutkan dengan cakupan lebih luas.",
            "Perpanjangan ini menambah bidang {field2} ke dalam ruang lingkup kerja sama.",
        ],
    },
    "coalition": {
        "section": "Politik", "tags": ["Pilkada", "{party1}"],
        "captions": ["Pengurus {party1} dan {party2} usai pertemuan tertutup"],
        "titles": ["{party1} dan {party2} Lakukan Penjajakan Koalisi Jelang Pilkada {city}",
                   "Penjajakan Koalisi {party1}-{party2} Menguat di {city}"],
        "leads": ["Pengurus daerah {party1} dan {party2} menggelar pertemuan penjajakan koalisi menjelang Pilkada {city}, {day} ({date})."],
        "body": [
            "Ketua DPD {party1} menyebut komunikasi politik masih cair dan semua kemungkinan terbuka.",
            "Kedua partai belum memutuskan pasangan calon yang akan diusung.",
            "Pengamat politik menilai penjajakan koalisi ini lazim terjadi menjelang pendaftaran paslon.",
            "{party2} mengaku juga menjalin komunikasi dengan partai lain.",
            "Nota kesepakatan koalisi direncanakan diteken setelah survei elektabilitas rampung.",
            "Kader di tingkat kecamatan diminta solid menunggu keputusan DPP.",
            "Peta dukungan di DPRD {city} dinilai akan menentukan arah koalisi.",
        ],
    },
    "police": {
        "section": "Hukum & Kriminal", "tags": ["Polres", "Kriminal"],
        "captions": ["Tersangka dan barang bukti diamankan di Mapolres"],
        "titles": ["Bekerja Sama dengan Polres Tetangga, Polisi Ringkus Komplotan Curanmor di {city}",
                   "Polisi Minta Kerja Sama Warga Ungkap Pencurian di {village}"],
        "leads": ["Satreskrim Polres {city} bekerja sama dengan polres tetangga meringkus komplotan pencuri sepeda motor, {day} ({date})."],
        "body": [
            "Kasat Reskrim menyebut para pelaku sudah beraksi di {num} lokasi.",
            "Dari tangan tersangka, polisi menyita kunci letter T dan sejumlah sepeda motor.",
            "Pelaku dijerat pasal pencurian dengan pemberatan dengan ancaman tujuh tahun penjara.",
            "Polisi meminta kerja sama warga untuk segera melapor bila melihat hal mencurigakan.",
            "Satu pelaku lain masih berstatus DPO dan tengah diburu petugas.",
            "Korban mengaku kehilangan motor saat diparkir di depan rumah.",
        ],
    },
    "sports": {
        "section": "Olahraga", "tags": ["Sepak Bola", "{team}"],
        "captions": ["Pemain {team} merayakan gol ke gawang {opp}"],
        "titles": ["Kerja Sama Tim Jadi Kunci {team} Tundukkan {opp}",
                   "{team} Menang Tipis atas {opp}, Pelatih Puji Kekompakan Pemain"],
        "leads": ["{team} meraih kemenangan atas {opp} dalam lanjutan liga daerah di {city}, {day} ({date})."],
        "body": [
            "Pelatih menilai kerja sama tim menjadi kunci kemenangan malam itu.",
            "Gol tunggal tercipta pada menit ke-{num} lewat sundulan kepala.",
            "{opp} sempat menekan di babak kedua namun gagal menyamakan skor.",
            "Dengan hasil ini, {team} naik ke posisi tiga klasemen sementara.",
            "Ribuan suporter memadati tribun sejak sore hari.",
            "Kapten tim menyebut seluruh pemain bermain kompak dan disiplin.",
        ],
    },
    "appeal": {
        "section": "Pemerintahan", "tags": ["{gov}", "Ramadan"],
        "captions": ["{head} {head_name} memberikan sambutan"],
        "titles": ["{head} Ajak Kerja Sama Semua Pihak Jaga Kondusivitas {city}",
                   "{head_name}: Butuh Kolaborasi Semua Elemen Bangun {city}"],
        "leads": ["{head} {head_name} mengajak seluruh elemen masyarakat bekerja sama menjaga kondusivitas daerah, {day} ({date})."],
        "body": [
            "Menurutnya, pembangunan tidak bisa dikerjakan pemerintah sendirian.",
            "Ia meminta tokoh agama dan tokoh pemuda ikut menyejukkan suasana.",
            "Tidak ada rivalitas, yang ada hanya kolaborasi, katanya.",
            "Ajakan itu disampaikan dalam kegiatan safari di masjid raya.",
            "Ia juga mengimbau warga menjaga kebersihan lingkungan masing-masing.",
        ],
    },
    "event": {
        "section": "Ekonomi", "tags": ["Pasar Murah", "{org}"],
        "captions": ["Warga antre membeli {commodity} di pasar murah"],
        "titles": ["{agency} Gelar Pasar Murah Bekerja Sama dengan {org}",
                   "Harga {commodity} Naik, {gov} Gelar Operasi Pasar"],
        "leads": ["{agency} {city} menggelar pasar murah bekerja sama dengan {org} di {village}, {day} ({date})."],
        "body": [
            "Sebanyak {big} paket {commodity} disiapkan dengan harga di bawah pasaran.",
            "Warga mulai mengantre sejak pukul tujuh pagi.",
            "Kegiatan serupa akan digelar bergiliran di setiap kecamatan.",
            "Harga {commodity} di pasar tradisional sempat naik dalam sepekan terakhir.",
            "Panitia membatasi pembelian agar semua warga kebagian.",
        ],
    },
    "road": {
        "section": "Peristiwa", "tags": ["Infrastruktur", "{city}"],
        "captions": ["Petugas menambal lubang di {street}"],
        "titles": ["Perbaikan {street} Ditargetkan Rampung Bulan Depan",
                   "{street} Rusak Parah, Warga Tanam Pohon Pisang"],
        "leads": ["{agency} {city} mulai memperbaiki ruas {street} yang rusak sepanjang {num} kilometer, {day} ({date})."],
        "body": [
            "Lubang di badan jalan kerap memicu kecelakaan pengendara roda dua.",
            "Pekerjaan dilakukan pada malam hari untuk mengurangi kemacetan.",
            "Warga berharap perbaikan tidak sekadar tambal sulam.",
            "Kontraktor pelaksana menyebut cuaca menjadi kendala utama.",
            "Arus lalu lintas dialihkan sementara ke jalan lingkungan.",
        ],
    },
    "flood": {
        "section": "Peristiwa", "tags": ["Banjir", "BPBD"],
        "captions": ["Banjir merendam permukiman di {village}"],
        "titles": ["Luapan {river} Rendam Ratusan Rumah di {village}",
                   "Banjir Kembali Landa {city}, BPBD Dirikan Posko"],
        "leads": ["Hujan deras sejak sore membuat {river} meluap dan merendam ratusan rumah di {village}, {day} ({date})."],
        "body": [
            "Ketinggian air sempat mencapai satu meter di beberapa titik.",
            "BPBD mendirikan posko pengungsian dan dapur umum.",
            "Tidak ada korban jiwa dalam peristiwa ini.",
            "Warga mengeluhkan saluran drainase yang tersumbat sampah.",
            "Petugas gabungan mengevakuasi lansia dan anak-anak menggunakan perahu karet.",
        ],
    },
}
