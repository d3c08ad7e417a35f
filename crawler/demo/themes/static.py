"""Static pages (Redaksi, Pedoman Media Siber, Tentang Kami) shared by the demo-portal themes."""

from __future__ import annotations


def static_pages(site_name: str, city: str) -> list[tuple[str, str, list[str]]]:
    """(slug, title, paragraphs) for each non-news page a regional portal carries."""
    return [
        ("redaksi", "Redaksi", [
            f"{site_name} diterbitkan oleh PT Kabar Daerah Nusantara, berkedudukan di {city}.",
            "Pemimpin Umum: Hendra Saputra. Pemimpin Redaksi: Rina Kartikasari. "
            "Redaktur Pelaksana: Yudi Permana.",
            "Reporter: Asep Hidayat, Dewi Lestari, Fajar Nugraha, Sri Wahyuni, Bagus Pratama.",
            "Alamat redaksi: Jalan Merdeka Nomor 17, lantai 2. Surel: redaksi@contoh.invalid.",
            "Wartawan kami dibekali kartu identitas dan tidak dibenarkan menerima imbalan "
            "dalam bentuk apa pun dari narasumber.",
        ]),
        ("pedoman-media-siber", "Pedoman Media Siber", [
            "Kemerdekaan berpendapat dan kemerdekaan pers adalah hak asasi manusia yang "
            "dilindungi Undang-Undang Dasar. Keberadaan media siber di Indonesia juga "
            "merupakan bagian dari kemerdekaan berekspresi dan kemerdekaan pers.",
            "Media siber wajib menguji setiap berita untuk menjaga akurasi, keberimbangan, "
            "dan tidak mencampurkan fakta dengan opini yang menghakimi.",
            "Isi buatan pengguna yang melanggar ketentuan akan disunting atau dihapus setelah "
            "redaksi menerima pengaduan, paling lambat dua kali dua puluh empat jam.",
            "Ralat, koreksi, dan hak jawab ditautkan pada berita yang diralat dan dimuat "
            "dengan mencantumkan waktu pemuatan.",
            "Pedoman ini ditandatangani Dewan Pers bersama komunitas pers di Jakarta.",
        ]),
        ("tentang-kami", "Tentang Kami", [
            f"{site_name} adalah media daring yang menyajikan berita pemerintahan, ekonomi, "
            f"olahraga, dan gaya hidup dari {city} dan sekitarnya.",
            "Kami berkomitmen menyajikan informasi yang cepat, akurat, dan berimbang bagi "
            "pembaca di daerah maupun perantau.",
        ]),
    ]
