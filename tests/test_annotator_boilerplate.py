"""Tests of the boilerplate annotator.

All article text here is invented for the tests, in the style of Indonesian
news pages; none of it comes from a real article.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warta.annotators.boilerplate import LABELS, annotate

from .fixtures import check_spans


def spans_of(text: str) -> list[tuple[str, str]]:
    """(label, text) of every span, in order."""
    return [(s["label"], s["text"]) for s in annotate(text)]


def labelled(text: str, label: str) -> list[str]:
    return [t for lab, t in spans_of(text) if lab == label]


def check_invariants(text: str, spans: list[dict]) -> None:
    """The contract of docs/GUIDELINES.md (sections 1 and 2) for any output."""
    check_spans(text, spans, LABELS)


# ---------------------------------------------------------------- own lines


def test_own_line_run_is_one_span_with_blank_lines_inside() -> None:
    text = (
        "JAKARTA, KOMPAS.com - Pemerintah kota menambah armada bus listrik tahun ini.\n"
        '"Kami tambah dua puluh unit," kata Rudi.\n'
        "\n"
        "Penulis: Sari Wulandari\n"
        "\n"
        "Editor: Hendra Gunawan\n"
    )
    spans = annotate(text)
    assert [(s["label"], s["text"]) for s in spans] == [
        ("byline", "Penulis: Sari Wulandari\n\nEditor: Hendra Gunawan")
    ]
    check_invariants(text, spans)


def test_separator_line_goes_with_the_credit_below() -> None:
    text = (
        "Warga memadati alun-alun untuk menonton pawai budaya.\n"
        "-------\n"
        "Artikel ini telah naik di detikJateng.\n"
    )
    assert spans_of(text) == [("source", "-------\nArtikel ini telah naik di detikJateng.")]


def test_bare_baca_juga_line_does_not_swallow_the_next_paragraph() -> None:
    text = (
        "Harga cabai rawit naik dua kali lipat pekan ini.\n"
        "Baca Juga\n"
        "Pedagang Pasar Minggu Mengeluh\n"
        "Pedagang mengaku pembeli mulai berkurang sejak awal bulan.\n"
    )
    assert spans_of(text) == [("related", "Baca Juga")]


# ---------------------------------------------------------- glued in a line


def test_glued_advertisement_and_scroll_prompt_are_two_exact_spans() -> None:
    text = (
        "Jakarta - Polisi menangkap dua pelaku pencurian kendaraan di Bekasi. "
        "ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT "
        '"Keduanya kami amankan di rumah kontrakan," kata Kapolres.'
    )
    assert spans_of(text) == [
        ("promo", "ADVERTISEMENT"),
        ("interface", "SCROLL TO CONTINUE WITH CONTENT"),
    ]


def test_glued_read_also_stops_where_the_body_sentence_starts() -> None:
    text = (
        "Jakarta - Dinas Perhubungan menutup sementara jalan layang. "
        "Baca juga: Jalan Layang Baru Dibuka, Warga Keluhkan Macet di Pagi Hari "
        "Kepala dinas mengatakan penutupan berlangsung tiga hari."
    )
    assert labelled(text, "related") == [
        "Baca juga: Jalan Layang Baru Dibuka, Warga Keluhkan Macet di Pagi Hari"
    ]


def test_glued_read_also_hands_back_a_sentence_opener() -> None:
    text = (
        "Pengguna sering menutup aplikasi. Baca juga:Cara Mengosongkan Memori di HP "
        "Android Saat Anda membuka aplikasi, sistem menyiapkan memori."
    )
    assert labelled(text, "related") == ["Baca juga:Cara Mengosongkan Memori di HP Android"]


def test_glued_read_also_stops_at_an_opening_quote() -> None:
    text = (
        "Bupati meninjau lokasi banjir. Baca juga: Banjir Rendam Tiga Desa di Hulu Sungai "
        '"Kami siapkan posko," ujar bupati.'
    )
    assert labelled(text, "related") == ["Baca juga: Banjir Rendam Tiga Desa di Hulu Sungai"]


def test_glued_photo_credit_leaves_the_caption_as_content() -> None:
    text = (
        "Tidur cukup penting bagi kesehatan.\n"
        "Pexels/Nadia RahmawatiSeorang perempuan tidur nyenyak di kamarnya.\n"
    )
    assert spans_of(text) == [("byline", "Pexels/Nadia Rahmawati")]


def test_html_entity_and_nbsp_do_not_break_a_promo() -> None:
    text = (
        "Petani mulai menanam padi.&nbsp;\nIkuti berita TRIBUNBATAM.id terbaru via\xa0GOOGLE NEWS\n"
    )
    assert spans_of(text) == [("promo", "Ikuti berita TRIBUNBATAM.id terbaru via\xa0GOOGLE NEWS")]


def test_tokenised_text_sign_off() -> None:
    text = "Gubernur meresmikan jembatan itu , Senin . ( ant )\n"
    assert spans_of(text) == [("byline", "( ant )")]


# ------------------------------------------------------------- each label


def test_byline_reporter_credit_and_sign_offs() -> None:
    text = (
        "Laporan Wartawan Tribunnews.com, Rina Ayu Lestari\n"
        "TRIBUNNEWS.COM, SURABAYA - Ribuan warga mengikuti jalan sehat.\n"
        "Acara berakhir siang hari. (rin/dwi)\n"
        "Panitia membagikan doorprize.\n"
        "(Tegar Pramudya )\n"
    )
    assert labelled(text, "byline") == [
        "Laporan Wartawan Tribunnews.com, Rina Ayu Lestari",
        "(rin/dwi)",
        "(Tegar Pramudya )",
    ]


def test_byline_publish_time_and_photo_credit() -> None:
    text = (
        "Kompas.com - 14/02/2024, 08:30 WIB\n"
        "Lihat Foto\n"
        "Antrean kendaraan di gerbang tol.(KOMPAS.com/DIMAS PRATAMA)\n"
        "SEMARANG, KOMPAS.com - Antrean kendaraan mengular di gerbang tol.\n"
    )
    assert spans_of(text) == [
        ("byline", "Kompas.com - 14/02/2024, 08:30 WIB"),
        ("interface", "Lihat Foto"),
        ("byline", "(KOMPAS.com/DIMAS PRATAMA)"),
    ]


def test_related_lines_video_stub_and_editor_pick() -> None:
    text = (
        "Jakarta - Menteri meninjau pelabuhan.\n"
        "Baca juga: Menteri Targetkan Bongkar Muat Lebih Cepat\n"
        "Ia meminta petugas bekerja cepat.\n"
        'Simak Video "Antrean Truk di Pelabuhan"\n'
        "[Gambas:Video 20detik]\n"
        "Pilihan Editor: Pelabuhan Sibuk Jelang Lebaran\n"
    )
    assert labelled(text, "related") == [
        "Baca juga: Menteri Targetkan Bongkar Muat Lebih Cepat",
        'Simak Video "Antrean Truk di Pelabuhan"\n[Gambas:Video 20detik]\n'
        "Pilihan Editor: Pelabuhan Sibuk Jelang Lebaran",
    ]


def test_promo_channel_call_absorbs_its_follow_up_sentences() -> None:
    text = (
        "Itulah cara sederhana menghemat kuota internet. "
        "Dapatkan informasi otomotif terbaru tiap pagi lewat saluran Telegram kami. "
        "Cukup klik tautan https://t.me/contohkanal untuk bergabung. "
        "Pastikan aplikasi Telegram sudah terpasang."
    )
    promos = labelled(text, "promo")
    assert len(promos) == 1
    assert promos[0].startswith("Dapatkan informasi otomotif")
    assert promos[0].endswith("sudah terpasang.")


def test_promo_advertisement_line_and_fact_check_call() -> None:
    text = (
        "Liputan6.com, Jakarta - Beredar video klaim obat ajaib.\n"
        "Advertisement\n"
        "Klaim tersebut tidak benar.\n"
        "*** Untuk mengetahui kebenaran informasi sebuah kabar, kirim pesan WhatsApp ke "
        "nomor layanan cek fakta kami.\n"
    )
    promos = labelled(text, "promo")
    assert promos[0] == "Advertisement"
    assert promos[1].startswith("*** Untuk mengetahui") and promos[1].endswith("cek fakta kami.")


def test_recommendations_header_and_headline_list() -> None:
    text = (
        "Banjir surut pada sore hari.\n"
        "Terkini Lainnya\n"
        "Harga Emas Turun Tipis Pagi Ini\n"
        "Ekonomi\n"
        "Timnas U-23 Tiba di Doha\n"
        "14/02/2024, 10:00 WIB\n"
    )
    assert spans_of(text) == [
        (
            "recommendations",
            "Terkini Lainnya\nHarga Emas Turun Tipis Pagi Ini\nEkonomi\n"
            "Timnas U-23 Tiba di Doha\n14/02/2024, 10:00 WIB",
        )
    ]


def test_interface_pager_tags_and_buttons() -> None:
    text = (
        "Sidang dilanjutkan pekan depan. Halaman 3 dari 4 (abc/def) sidang korupsi hakim tipikor\n"
    )
    assert spans_of(text) == [
        ("interface", "Halaman 3 dari 4"),
        ("byline", "(abc/def)"),
        ("interface", "sidang korupsi hakim tipikor"),
    ]
    ui = "Cuaca cerah sepanjang hari.\nBagikan artikel ini melalui\nOke\nClose Ads\n"
    assert spans_of(ui) == [("interface", "Bagikan artikel ini melalui\nOke\nClose Ads")]
    tags = "Cuaca cerah sepanjang hari.\nTag\ncuaca\nBMKG\n"
    assert spans_of(tags) == [("interface", "Tag\ncuaca\nBMKG")]


def test_source_credits() -> None:
    text = (
        "Pemain baru itu diperkenalkan di stadion.\n"
        "Sumber: Kompas.com (Penulis Andi Pratama | Editor Maya Sari)\n"
        "Artikel ini telah tayang di TribunJateng.com dengan judul Klub Kenalkan Pemain "
        "Baru di Depan Suporter\n"
        "Pewarta: Fajar Nugroho\n"
        "Editor: Dewi Anggraini\n"
        "Copyright © ANTARA 2024\n"
    )
    assert spans_of(text) == [
        ("source", "Sumber: Kompas.com"),
        ("byline", "(Penulis Andi Pratama | Editor Maya Sari)"),
        (
            "source",
            "Artikel ini telah tayang di TribunJateng.com dengan judul Klub Kenalkan Pemain "
            "Baru di Depan Suporter",
        ),
        ("byline", "Pewarta: Fajar Nugroho\nEditor: Dewi Anggraini"),
        ("source", "Copyright © ANTARA 2024"),
    ]


def test_glued_credit_chain_stops_before_copyright() -> None:
    text = (
        'Jakarta (ANTARA) - Harga minyak naik. "Kami pantau," kata dia. '
        "Pewarta: Fajar Nugroho Editor: Dewi Anggraini Copyright © ANTARA 2024"
    )
    assert spans_of(text) == [
        ("byline", "Pewarta: Fajar Nugroho Editor: Dewi Anggraini"),
        ("source", "Copyright © ANTARA 2024"),
    ]


# --------------------------------------------------------- content stays


@pytest.mark.parametrize(
    "text",
    [
        "JAKARTA, KOMPAS.com - Pemerintah menaikkan anggaran pendidikan.",
        "Liputan6.com, Pekanbaru - Polisi menyita ratusan botol minuman keras.",
        "Jakarta (ANTARA) - Bank sentral menahan suku bunga acuan.",
        "TEMPO.CO, Jakarta - Harga tiket pesawat turun menjelang libur.",
        "Jakarta, CNN Indonesia -- Gempa mengguncang pesisir selatan.",
        "Jalan Tol Baru Dibuka, Waktu Tempuh Berkurang Separuh\n"
        "Jakarta - Jalan tol baru resmi dibuka untuk umum.",
        "Ironi Harga Beras di Lumbung Padi\n-\nHarga beras justru naik di sentra produksi.",
    ],
)
def test_dateline_and_headline_are_content(text: str) -> None:
    assert annotate(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Sumber dana perbaikan berasal dari APBD. Editor senior majalah itu hadir.",
        "Menurut data Antara/BPS, inflasi turun. Ia meminta warga membaca juga aturan.",
        "Saham itu naik 5 persen (yoy) dan nilai tukar (kurs) stabil.",
        "Tag harga baru dipasang di etalase. Foto bersama dilakukan usai acara.",
        "Ketua RT (yang juga guru) mengaku senang. Halaman sekolah kini bersih.",
        "Ikuti terus perkembangan kasus ini, kata dia. Dapatkan informasi di kelurahan.",
    ],
)
def test_ordinary_sentences_are_content(text: str) -> None:
    assert annotate(text) == []


# ------------------------------------------------------------- invariants

_FRAGMENTS = [
    "Baca juga:",
    "Baca Juga",
    "BACA JUGA: ",
    "ADVERTISEMENT",
    "Advertisement",
    "SCROLL TO CONTINUE WITH CONTENT",
    "(abc/xyz)",
    "( ant )",
    "(Nama Orang )",
    "Halaman 3 dari 4",
    "Kompas.com - 26/07/2023, 15:11 WIB",
    "KOMPAS.com/ADI",
    "Getty Images/",
    "Foto: ",
    "Sumber: ",
    "Penulis: ",
    "Editor ",
    " | ",
    "Artikel ini telah tayang di ",
    "dengan judul ",
    "https://x.id/a",
    "[Gambas:Video 20detik]",
    "Simak Video '",
    "Dapatkan update berita ",
    "WhatsApp",
    "Terkini Lainnya",
    "Tag:",
    "Copyright © ",
    "Laporan Wartawan ",
    "&nbsp;",
    "\xa0",
    '"',
    "“",
    "'",
    "-------",
    "***",
    "\n",
    "\n\n",
    " ",
    ". ",
    ", ",
    "(",
    ")",
    "/",
    ":",
    "Jakarta",
    "JAKARTA",
    "kata dia",
    "Polisi",
    "menangkap",
    "di",
    "Rp 5 M",
    "2024",
]

_article = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=8)), max_size=80).map(
    "".join
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_article)
def test_invariants_on_furniture_soup(text: str) -> None:
    check_invariants(text, annotate(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_invariants_on_arbitrary_text(text: str) -> None:
    check_invariants(text, annotate(text))


def test_empty_and_whitespace_only() -> None:
    assert annotate("") == []
    assert annotate(" \n\t\n") == []


# ------------------------------------------------------------------ speed

_PATHOLOGICAL = [
    '"' * 200_000,
    "-" * 200_000,
    "“”" * 100_000,
    "Baca juga " * 20_000,
    "Baca juga: " * 18_000,
    "Baca juga: A " * 15_000,
    "(ab/cd) " * 25_000,
    "(ab/cd)" + " " * 200_000,
    "(" * 200_000,
    "Kompas.com/" * 18_000,
    "KOMPAS.com/ADI " * 14_000,
    "Penulis: A " * 18_000,
    "Halaman " + "1" * 200_000,
    "Halaman " + "1 " * 100_000,
    "A" * 200_000,
    "Aa " * 70_000,
    "a." * 100_000,
    "\n" * 200_000,
    "Artikel ini telah tayang di X dengan judul " * 5_000,
    "Dapatkan update berita " * 9_000,
    "Simak Video '" * 15_000,
    "Terkini Lainnya\n" * 12_000,
    "Tag\n" + "a\n" * 100_000,
]


@pytest.mark.parametrize("text", _PATHOLOGICAL, ids=range(len(_PATHOLOGICAL)))
def test_pathological_inputs_keep_the_invariants(text: str) -> None:
    # How fast: bench/adversarial.py measures it; the suite checks the output.
    check_invariants(text, annotate(text))


# ------------------------------------------------------- more glued cases


def test_glued_read_also_hands_back_a_sentence_opener_with_comma() -> None:
    text = (
        "Jakarta - Penyidik memeriksa saksi. Baca juga: KPK Periksa Lima Saksi Kasus "
        "Proyek Irigasi Sebelumnya, KPK telah menahan dua tersangka."
    )
    assert labelled(text, "related") == ["Baca juga: KPK Periksa Lima Saksi Kasus Proyek Irigasi"]


def test_glued_sentence_case_headline_ends_before_the_body() -> None:
    text = (
        "Jakarta (ANTARA) - Harga minyak naik. Baca juga: Menteri sebut stok beras aman "
        "hingga akhir tahun Kementerian Pertanian mencatat panen raya dimulai."
    )
    assert labelled(text, "related") == [
        "Baca juga: Menteri sebut stok beras aman hingga akhir tahun"
    ]


def test_glued_name_sign_off_before_a_promo() -> None:
    text = '"Kami masih mendalami," katanya. (Rudi Hartono ) Follow Berita Okezone di Google News'
    assert spans_of(text) == [
        ("byline", "(Rudi Hartono )"),
        ("promo", "Follow Berita Okezone di Google News"),
    ]


def test_mid_sentence_all_caps_credit_is_a_byline() -> None:
    text = "Petugas memeriksa lokasi KOMPAS.com/DIMAS PRATAMA Warga menonton dari jauh."
    assert spans_of(text) == [("byline", "KOMPAS.com/DIMAS PRATAMA")]


def test_editor_pick_header_starts_a_related_list() -> None:
    text = (
        "Hujan deras mengguyur kota sejak pagi.\n"
        "Pilihan Redaksi\n"
        "Banjir Rendam Ratusan Rumah di Pesisir\n"
        "BMKG Prediksi Hujan Sepekan\n"
        "Warga diminta tetap waspada terhadap genangan.\n"
    )
    assert spans_of(text) == [
        (
            "related",
            "Pilihan Redaksi\nBanjir Rendam Ratusan Rumah di Pesisir\nBMKG Prediksi Hujan Sepekan",
        )
    ]


# ----------------------------------------------------- author lists in bylines


def test_bare_editor_name_after_an_author_line_joins_the_byline_run() -> None:
    text = (
        "Banjir Rendam Tiga Kecamatan, Ribuan Warga Mengungsi\n"
        "\n"
        "Kompas.com - 03/02/2024, 08:45 WIB\n"
        "Dewi Kartika,\n"
        "Bambang Sulistyo\n"
        "\n"
        "Tim Redaksi\n"
        "\n"
        "BEKASI, KOMPAS.com - Banjir merendam tiga kecamatan sejak Jumat malam.\n"
    )
    spans = annotate(text)
    assert [(s["label"], s["text"]) for s in spans] == [
        (
            "byline",
            "Kompas.com - 03/02/2024, 08:45 WIB\nDewi Kartika,\nBambang Sulistyo\n\nTim Redaksi",
        )
    ]
    check_invariants(text, spans)


def test_name_line_without_a_comma_credit_above_stays_content() -> None:
    # A short title-case line after a finished credit (no trailing comma) is a
    # subheading of the story, not another author.
    text = "Editor: Bambang Sulistyo\nKronologi Kejadian\nAir mulai naik sekitar pukul 22.00 WIB.\n"
    assert labelled(text, "byline") == ["Editor: Bambang Sulistyo"]


def test_name_after_a_comma_credit_but_past_a_blank_line_stays_content() -> None:
    text = "Dewi Kartika,\n\nRapat Warga\nWarga berkumpul di balai desa.\n"
    assert labelled(text, "byline") == ["Dewi Kartika,"]


def test_comment_prompt_of_a_news_page_is_interface() -> None:
    text = (
        "Warga berkumpul di balai desa untuk membahas jadwal ronda.\n"
        "Close Ads\n"
        "komentar di artikel lainnya\n"
    )
    assert labelled(text, "interface") == ["Close Ads\nkomentar di artikel lainnya"]


def test_a_rights_notice_after_a_copyright_line_is_source_too() -> None:
    notice = (
        "Copyright © WARTA 2026 Dilarang keras mengambil konten Warta untuk keperluan apa "
        "pun sebelum redaksi memberi persetujuan."
    )
    text = f"Warga memadati pasar sejak pagi.\n{notice}\n"
    assert spans_of(text) == [("source", notice)]


def test_a_read_also_cue_glued_to_an_opening_quote_is_the_cue_alone() -> None:
    """The scrape lost the link's headline; the quote after the cue is content."""
    text = (
        "Antrean di loket stasiun makin panjang.Baca Juga“Kami menambah dua petugas "
        "loket,” kata Budi.\n"
    )
    assert spans_of(text) == [("related", "Baca Juga")]


def test_a_bare_baca_colon_before_a_headline_is_a_read_also_link() -> None:
    link = "Baca: Harga Cabai Naik Lagi di Pasar Induk"
    text = f"Pedagang kaki lima kembali berjualan di trotoar. {link}\nPedagang mengeluh.\n"
    assert spans_of(text) == [("related", link)]
