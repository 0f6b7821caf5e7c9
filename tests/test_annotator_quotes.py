"""Tests of the automatic quote annotator (docs/GUIDELINES.md, section 4).

Every text here is invented for the tests, written in the style of Indonesian
news; none comes from a real article.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warta.annotators.quotes import annotate
from warta.schema import ENTITY

from .fixtures import check_quotes


def _q(text: str, **kw) -> list[dict]:
    """Annotate and check the span invariants every result must keep."""
    out = annotate(text, **kw)
    check_quotes(text, out)
    return out


def _texts(quotes: list[dict], key: str = "content") -> list[str | None]:
    """One field's text of each quote."""
    return [q[key]["text"] if q[key] else None for q in quotes]


# --------------------------------------------------------------------------
# Direct quotes
# --------------------------------------------------------------------------


def test_straight_marks_with_trailing_cue() -> None:
    text = 'Harga cabai naik. "Stok kami menipis sejak pekan lalu," kata Rudi Hartono di Bogor.'
    (q,) = _q(text)
    assert q["kind"] == "direct"
    assert q["content"]["text"] == "Stok kami menipis sejak pekan lalu,"
    assert q["cue"]["text"] == "kata"
    assert q["speaker"]["text"] == "Rudi Hartono"
    assert q["speaker_name"] == "Rudi Hartono"


@pytest.mark.parametrize(
    ("open_mark", "close_mark"),
    [("“", "”"), ('"', "”"), ("“", '"'), ("&ldquo;", "&rdquo;"), ('"', "&rdquo;")],
)
def test_curly_mismatched_and_entity_marks(open_mark: str, close_mark: str) -> None:
    text = f"Petani mengeluh. {open_mark}Pupuk langka di desa kami,{close_mark} ujar Sutrisno."
    (q,) = _q(text)
    assert q["content"]["text"] == "Pupuk langka di desa kami,"
    assert q["cue"]["text"] == "ujar"
    assert q["speaker"]["text"] == "Sutrisno"


def test_several_sentences_and_a_line_break_inside_one_pair() -> None:
    text = (
        '"Kami sudah berusaha. Semua pihak dilibatkan.\n'
        'Hasilnya akan diumumkan besok," kata Dewi Lestari.'
    )
    (q,) = _q(text)
    assert q["content"]["text"].startswith("Kami sudah berusaha.")
    assert "\n" in q["content"]["text"]
    assert q["content"]["text"].endswith("besok,")


def test_quote_broken_by_its_attribution_gives_two_quotes() -> None:
    text = '"Jalan ini rusak parah," kata Bupati Hendra Wijaya, "dan harus segera diperbaiki."'
    a, b = _q(text)
    assert _texts([a, b]) == ["Jalan ini rusak parah,", "dan harus segera diperbaiki."]
    assert a["cue"] == b["cue"] and a["speaker"] == b["speaker"]
    assert a["speaker"]["text"] == "Hendra Wijaya"
    assert b["speaker_name"] == "Hendra Wijaya"


def test_consecutive_paragraphs_in_their_own_marks_are_separate() -> None:
    text = (
        "Ketua koperasi Lina Marlina menjelaskan rencananya.\n"
        '"Kami akan membuka gerai baru di pasar."\n'
        '"Modalnya dari iuran anggota sendiri," ujar Lina.'
    )
    quotes = [q for q in _q(text) if q["kind"] == "direct"]
    assert _texts(quotes) == [
        "Kami akan membuka gerai baru di pasar.",
        "Modalnya dari iuran anggota sendiri,",
    ]
    assert quotes[0]["cue"] is None
    assert quotes[0]["speaker_name"] == "Lina Marlina"


def test_nested_single_quotes_are_not_separate_quotes() -> None:
    text = "\"Dia hanya menjawab 'nanti saja', lalu pergi,\" ungkap Bayu."
    (q,) = _q(text)
    assert q["content"]["text"] == "Dia hanya menjawab 'nanti saja', lalu pergi,"


def test_an_opening_mark_glued_to_the_last_sentence_opens_a_quote() -> None:
    """A scrape that lost a paragraph break glues ``."`` to the next quote's first word."""
    text = (
        'Stok beras di gudang Bulog menipis."Kami akan menambah pasokan minggu depan," '
        "kata Budi Santoso."
    )
    (q,) = _q(text)
    assert q["kind"] == "direct"
    assert q["content"]["text"] == "Kami akan menambah pasokan minggu depan,"
    assert q["speaker_name"] == "Budi Santoso"
    # Glued after a closing mark, the next opening mark still opens the next quote.
    text = '"Harga naik," kata Rina Wati.' + '"Pasokan sedang seret," ujarnya.'
    assert _texts(_q(text)) == ["Harga naik,", "Pasokan sedang seret,"]


def test_a_sentence_glued_to_the_last_full_stop_is_a_sentence_of_its_own() -> None:
    """The reported clause stops at the glued full stop; the next sentence is narration."""
    text = (
        "Harga cabai naik tajam pekan lalu.Budi Santoso mengatakan harga akan turun bulan "
        "depan.Pasar induk tetap ramai sejak pagi."
    )
    (q,) = _q(text)
    assert q["kind"] == "indirect"
    assert q["content"]["text"] == "harga akan turun bulan depan"
    assert q["speaker_name"] == "Budi Santoso"


def test_a_glued_full_stop_after_an_abbreviation_does_not_end_the_sentence() -> None:
    text = "Rina Wati mengatakan kantor PT.Sinar Jaya di Jl.Merdeka akan dibuka lagi."
    (q,) = _q(text)
    assert q["content"]["text"] == "kantor PT.Sinar Jaya di Jl.Merdeka akan dibuka lagi"


def test_cue_before_the_quote() -> None:
    text = 'Dalam pidatonya, Menteri Arif Rahman menegaskan, "Tidak ada impor beras tahun ini."'
    (q,) = _q(text)
    assert q["kind"] == "direct"
    assert q["cue"]["text"] == "menegaskan"
    assert q["speaker"]["text"] == "Arif Rahman"


def test_tokenised_scrape_trims_spaces_next_to_marks() -> None:
    text = 'Kepala desa Joko Susilo hadir .\n\n" Warga sudah siap , " kata Joko .'
    (q,) = _q(text)
    assert q["content"]["text"] == "Warga sudah siap ,"
    assert q["speaker_name"] == "Joko Susilo"


def test_scare_quotes_are_not_quotes() -> None:
    text = "Aplikasi itu punya fitur “mode gelap” dan tombol “i” di pojok layar."
    assert _q(text) == []


def test_question_in_court_with_role_speaker() -> None:
    text = (
        '"Apakah Saudara menerima uang itu?" tanya ketua majelis hakim Bambang Irawan. '
        '"Tidak pernah, Yang Mulia," jawab Rina. "Yakin?" tanya hakim.'
    )
    quotes = _q(text)
    assert quotes[0]["speaker"]["text"] == "Bambang Irawan"
    assert quotes[2]["speaker"]["text"] == "hakim"
    assert quotes[2]["speaker_name"] == "Bambang Irawan"


# --------------------------------------------------------------------------
# Indirect quotes
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cue",
    [
        "mengatakan",
        "menegaskan",
        "menyebutkan",
        "menjelaskan",
        "mengungkapkan",
        "membantah",
        "menilai",
        "mengklaim",
        "menyatakan",
        "mengaku",
    ],
)
def test_indirect_cues(cue: str) -> None:
    text = f"Direktur utama PT Maju Jaya Hendra Gunawan {cue} penjualan turun sepuluh persen."
    (q,) = _q(text)
    assert q["kind"] == "indirect"
    assert q["content"]["text"] == "penjualan turun sepuluh persen"
    assert q["cue"]["text"] == cue
    assert q["speaker"]["text"] == "Hendra Gunawan"


@pytest.mark.parametrize(
    ("clause", "cue"),
    [
        ("mengatakan bahwa", "mengatakan"),
        ("meminta agar", "meminta"),
        ("berharap agar", "berharap"),
        ("mengklaim bila", "mengklaim"),
    ],
)
def test_complementizers_are_left_out(clause: str, cue: str) -> None:
    text = f"Sri Wahyuni {clause} warga tetap tenang, Rabu (26/7/2023)."
    (q,) = _q(text)
    assert q["content"]["text"] == "warga tetap tenang"
    assert q["cue"]["text"] == cue


def test_menurut_and_menurutnya() -> None:
    text = (
        "Menurut Yusuf Maulana, harga tiket akan turun bulan depan. "
        "Menurutnya, maskapai sudah sepakat."
    )
    a, b = _q(text)
    assert a["cue"]["text"] == "Menurut" and a["speaker"]["text"] == "Yusuf Maulana"
    assert a["content"]["text"] == "harga tiket akan turun bulan depan"
    assert b["cue"]["text"] == "Menurutnya" and b["speaker"] is None
    assert b["speaker_name"] == "Yusuf Maulana"


def test_menurut_an_office_then_its_holder_between_commas_gives_the_person() -> None:
    text = "Menurut Kepala Dinas Perikanan, Agus Salimin, tangkapan ikan naik tahun ini."
    start = text.index("Agus")
    person = {"start": start, "end": start + 12, "label": ENTITY.PER, "text": "Agus Salimin"}
    office = {"start": 15, "end": 30, "label": ENTITY.ORG, "text": "Dinas Perikanan"}
    (q,) = _q(text, entities=[office, person])
    assert q["speaker"]["text"] == "Agus Salimin" and q["speaker_name"] == "Agus Salimin"
    assert q["content"]["text"] == "tangkapan ikan naik tahun ini"


def test_menurut_an_organisation_before_a_list_keeps_the_organisation() -> None:
    text = "Menurut Bank Pesisir, Lombok, Sumbawa dan Flores tumbuh lima persen tahun ini."
    (q,) = _q(text)
    assert q["speaker"]["text"] == "Bank Pesisir"
    assert q["content"]["text"] == "Lombok, Sumbawa dan Flores tumbuh lima persen tahun ini"


def test_inserted_attribution_splits_an_indirect_quote() -> None:
    text = "Anggaran daerah, kata Wati Susanti, sudah habis untuk gaji pegawai."
    a, b = _q(text)
    assert _texts([a, b]) == ["Anggaran daerah", "sudah habis untuk gaji pegawai"]
    assert a["cue"] == b["cue"] and a["speaker"] == b["speaker"]


def test_connective_before_inserted_attribution_is_not_a_quote() -> None:
    text = "Selanjutnya, tambah Budi Prasetyo, polisi akan memeriksa tiga saksi."
    (q,) = _q(text)
    assert q["content"]["text"] == "polisi akan memeriksa tiga saksi"


@pytest.mark.parametrize(
    "text",
    [
        "Ketiga, kata Rudi Hartono, pasar harus dibenahi.",
        "Kedua, pasar harus dibenahi, kata Rudi Hartono.",
    ],
)
def test_an_ordinal_numbering_a_point_is_neither_content_nor_speaker(text: str) -> None:
    (q,) = _q(text)
    assert q["content"]["text"] == "pasar harus dibenahi"
    assert q["speaker_name"] == "Rudi Hartono"


def test_an_ordinal_without_its_comma_stays_in_the_statement() -> None:
    text = "Pertama kali datang, kata Rudi Hartono, ia kaget."
    assert _texts(_q(text)) == ["Pertama kali datang", "ia kaget"]


def test_melansir_cites_its_source_like_dilansir_dari() -> None:
    text = "Melansir Harian Sinar Lasem, harga beras naik bulan depan."
    (q,) = _q(text)
    assert q["cue"]["text"] == "Melansir"
    assert q["speaker"]["text"] == "Harian Sinar Lasem"
    assert q["content"]["text"] == "harga beras naik bulan depan"


def test_a_sentence_opened_by_kata_and_its_speaker_is_a_quote() -> None:
    text = "Rudi Hartono datang ke pasar. Kata dia, harga beras akan naik bulan depan."
    (q,) = _q(text)
    assert (q["cue"]["text"], q["speaker"]["text"]) == ("Kata", "dia")
    assert q["content"]["text"] == "harga beras akan naik bulan depan"
    assert q["speaker_name"] == "Rudi Hartono"


def test_kata_inside_a_sentence_opens_no_citation() -> None:
    assert _q("Ini Kata Kunci Lomba Cerpen Lasem tahun ini.") == []


def test_a_reduplicated_cue_is_a_hedge_not_a_quote() -> None:
    """``disebut-sebut`` (rumoured) reports no one's words (issue list of spurious cues)."""
    assert _q("Rudi Hartono disebut-sebut akan menjadi calon bupati.") == []


def test_a_passive_cue_with_its_agent_inserted_splits_the_statement() -> None:
    """Rules 23 and 25: ``A, ditegaskan X, B`` gives A and B, cue and speaker shared."""
    text = "Harga beras, ditegaskan Rudi Hartono, tidak akan naik tahun ini."
    a, b = _q(text)
    assert _texts([a, b]) == ["Harga beras", "tidak akan naik tahun ini"]
    assert a["cue"] == b["cue"] and a["cue"]["text"] == "ditegaskan"
    assert a["speaker"]["text"] == b["speaker"]["text"] == "Rudi Hartono"


def test_an_inserted_passive_without_an_agent_is_no_quote_by_itself() -> None:
    assert _q("Harga beras, ditegaskan dalam rapat, tidak akan naik.") == []


def test_a_sentence_opened_by_a_passive_cue_and_its_agent_cites_the_agent() -> None:
    text = "Disampaikan oleh Rudi Hartono, harga beras akan naik bulan depan."
    (q,) = _q(text)
    assert (q["cue"]["text"], q["speaker"]["text"]) == ("Disampaikan", "Rudi Hartono")
    assert q["content"]["text"] == "harga beras akan naik bulan depan"


def test_menurutnya_inserted_without_commas_splits_the_statement() -> None:
    text = "Rudi Hartono datang ke pasar. Harga beras menurutnya akan naik bulan depan."
    a, b = _q(text)
    assert _texts([a, b]) == ["Harga beras", "akan naik bulan depan"]
    assert a["cue"]["text"] == b["cue"]["text"] == "menurutnya"
    assert a["speaker"] is None and b["speaker_name"] == "Rudi Hartono"


def test_menurutnya_inside_a_relative_clause_is_no_quote() -> None:
    assert _q("Rudi Hartono datang. Rapat yang menurutnya penting itu batal.") == []


def test_noun_objects_and_negation_are_not_quotes() -> None:
    text = (
        "Gubernur Andi Saputra menyampaikan terima kasih kepada relawan. "
        "Andi tidak menjelaskan alasan pemindahan itu."
    )
    assert _q(text) == []


@pytest.mark.parametrize("counted", ["sejumlah hambatan", "tiga kendala", "3 persoalan"])
def test_a_counted_noun_object_is_not_a_quote(counted: str) -> None:
    """Rule 19: a quantifier does not turn a cue's noun-phrase object into a clause."""
    assert _q(f"Kepala dinas Rudi Hartono mengungkapkan {counted} di lapangan.") == []


def test_a_counted_subject_of_a_reported_clause_is_still_a_quote() -> None:
    text = "Rudi Hartono mengungkapkan tiga warga terluka dalam kejadian itu."
    (q,) = _q(text)
    assert q["content"]["text"] == "tiga warga terluka dalam kejadian itu"


# --------------------------------------------------------------------------
# Speakers and speaker names
# --------------------------------------------------------------------------


def test_nya_cues_have_no_speaker_and_continue_the_source() -> None:
    text = (
        'Kepala BPBD Agus Salim mengatakan banjir mulai surut. "Pengungsi sudah pulang," '
        'ujarnya. "Bantuan tetap kami salurkan," imbuhnya.'
    )
    quotes = _q(text)
    assert [q["cue"]["text"] for q in quotes] == ["mengatakan", "ujarnya", "imbuhnya"]
    assert quotes[1]["speaker"] is None and quotes[2]["speaker"] is None
    assert {q["speaker_name"] for q in quotes} == {"Agus Salim"}


def test_short_name_and_titles_resolve_to_the_fullest_name() -> None:
    text = (
        "Ketua panitia Anggini Setiawan membuka acara. "
        '"Pesertanya dua ribu orang," kata Anggi. '
        '"Semua gratis," ujar Bu Anggini.'
    )
    quotes = _q(text)
    assert [q["speaker_name"] for q in quotes] == ["Anggini Setiawan", "Anggini Setiawan"]


@pytest.mark.parametrize("title", ["Pak", "dr.", "Prof."])
def test_titles_are_stripped_from_speakers(title: str) -> None:
    text = f'Teten Masduki hadir. "Kami mendukung UMKM," kata {title} Teten.'
    (q,) = _q(text)
    assert q["speaker"]["text"] == "Teten"
    assert q["speaker_name"] == "Teten Masduki"


def test_pronouns_resolve_to_the_latest_person() -> None:
    text = (
        'Rina Agustina tiba di lokasi. "Saya kaget," kata Rina. '
        "Sementara itu, pengamat Yoga Pratama punya pandangan lain. "
        "Dia menilai penanganan sudah tepat."
    )
    quotes = _q(text)
    assert quotes[0]["speaker_name"] == "Rina Agustina"
    assert quotes[1]["speaker"]["text"] == "Dia"
    assert quotes[1]["speaker_name"] == "Yoga Pratama"


def test_entities_are_used_for_speakers() -> None:
    text = '"Produksi naik," kata Kepala Dinas Pertanian Garut Asep Sunandar.'
    start = text.index("Asep")
    ents = [{"start": start, "end": start + 13, "label": "PER", "text": "Asep Sunandar"}]
    (q,) = _q(text, entities=ents)
    assert q["speaker"]["text"] == "Asep Sunandar"
    assert q["speaker_name"] == "Asep Sunandar"


def test_organisation_speaker_resolves_its_abbreviation() -> None:
    text = (
        "Badan Pusat Statistik (BPS) merilis data baru. "
        "BPS menyebutkan inflasi bulan ini sebesar dua persen."
    )
    (q,) = _q(text)
    assert q["speaker"]["text"] == "BPS"
    assert q["speaker_name"] == "Badan Pusat Statistik"


def test_quotes_stay_out_of_boilerplate() -> None:
    text = 'Baca juga: "Harga naik lagi," kata Budi\nIsi berita tanpa kutipan.'
    bp = [{"start": 0, "end": 40, "label": "related", "text": text[:40]}]
    assert _q(text, boilerplate=bp) == []


# --------------------------------------------------------------------------
# Content boundaries: claims before ``bahwa``, topics, commas after the cue
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Juru bicara itu membantah adanya tudingan bahwa perusahaan menunda gaji karyawan.",
            "perusahaan menunda gaji karyawan",
        ),
        (
            "Rina juga menepis kabar bahwa ia akan mundur dari jabatannya.",
            "ia akan mundur dari jabatannya",
        ),
        ("Rina menyatakan dengan tegas bahwa sekolah tetap dibuka.", "sekolah tetap dibuka"),
    ],
)
def test_content_starts_after_bahwa_that_closes_a_short_claim_phrase(
    text: str, content: str
) -> None:
    (q,) = _q(text)
    assert q["content"]["text"] == content


def test_bahwa_inside_the_reported_clause_stays_in_it() -> None:
    (q,) = _q("Rina mengatakan pihaknya tahu bahwa harga pupuk akan naik.")
    assert q["content"]["text"] == "pihaknya tahu bahwa harga pupuk akan naik"


@pytest.mark.parametrize(
    "text",
    [
        "Sebelumnya, laporan dari Harian Nusantara menyebutkan tentang rencana "
        "pembangunan pelabuhan baru melalui dana daerah di Maluku.",
        "Rina menjelaskan mengenai jadwal ujian yang akan diundur sepekan.",
        "Dosen itu menyinggung soal kenaikan biaya kuliah semester depan.",
    ],
)
def test_topic_after_the_verb_without_a_clause_is_not_a_quote(text: str) -> None:
    assert _q(text) == []


def test_topic_word_before_a_full_clause_is_left_out_of_the_content() -> None:
    (q,) = _q("Rina mengungkap soal dana yang dipakai setiap bulan jadi beban warga.")
    assert q["content"]["text"] == "dana yang dipakai setiap bulan jadi beban warga"
    assert q["cue"]["text"] == "mengungkap"


def test_comma_after_the_cue_opens_the_clause_with_its_leading_adverbial() -> None:
    text = (
        "Budi Santoso mengatakan, dalam rapat yang digelar Senin pagi, pihaknya "
        "sepakat menaikkan iuran warga."
    )
    (q,) = _q(text)
    assert q["content"]["text"] == (
        "dalam rapat yang digelar Senin pagi, pihaknya sepakat menaikkan iuran warga"
    )
    assert q["speaker"]["text"] == "Budi Santoso"


def test_adverbial_right_after_the_cue_without_comma_is_not_content() -> None:
    (q,) = _q("Budi mengatakan dalam rapat itu, pihaknya sepakat menaikkan iuran.")
    assert q["content"]["text"] == "pihaknya sepakat menaikkan iuran"


def test_phrase_that_only_sets_the_interview_scene_is_not_content() -> None:
    (q,) = _q("Budi mengatakan, saat dihubungi wartawan, harga beras akan turun.")
    assert q["content"]["text"] == "harga beras akan turun"


def test_comma_after_the_cue_then_comma_bahwa_skips_to_the_clause() -> None:
    (q,) = _q("Budi mengatakan, dalam keterangan tertulis, bahwa harga beras akan turun.")
    assert q["content"]["text"] == "harga beras akan turun"


@pytest.mark.parametrize(
    ("text", "content", "cue", "speaker"),
    [
        (
            "Rapat warga berlangsung lama. Selain itu, lanjut dia, dalam rapat berikutnya "
            "warga akan dilibatkan.",
            "dalam rapat berikutnya warga akan dilibatkan",
            "lanjut",
            "dia",
        ),
        (
            "Namun demikian, kata Budi, pada pekan depan harga beras akan turun.",
            "pada pekan depan harga beras akan turun",
            "kata",
            "Budi",
        ),
    ],
)
def test_connective_then_inserted_attribution_then_clause(
    text: str, content: str, cue: str, speaker: str
) -> None:
    (q,) = _q(text)
    assert (q["content"]["text"], q["cue"]["text"], q["speaker"]["text"]) == (
        content,
        cue,
        speaker,
    )


def test_report_taken_up_by_a_demonstrative_keeps_its_named_source() -> None:
    text = (
        "Sebelumnya, laporan dari Harian Nusantara menyebutkan tentang rencana "
        "pembangunan pelabuhan di Maluku. Laporan tersebut menyebutkan bahwa "
        "pelabuhan akan selesai tahun depan."
    )
    (q,) = _q(text)
    assert q["content"]["text"] == "pelabuhan akan selesai tahun depan"
    assert q["speaker"]["text"] == "Laporan tersebut"
    assert q["speaker_name"] == "Harian Nusantara"


# --------------------------------------------------------------------------
# Headlines
# --------------------------------------------------------------------------


def test_title_case_cue_in_a_headline_makes_an_indirect_quote() -> None:
    text = (
        "Dipanggil DPRD soal Banjir, Wali Kota Bantah Akan Pindahkan Kantor Dinas\n\n"
        "MEDAN - Wali kota itu memenuhi panggilan dewan pada Senin pagi.\n"
    )
    (q,) = _q(text)
    assert q["kind"] == "indirect"
    assert q["content"]["text"] == "Akan Pindahkan Kantor Dinas"
    assert q["cue"]["text"] == "Bantah"
    assert q["speaker"]["text"] == "Wali Kota"


def test_headline_speaker_takes_the_fuller_organisation_name_of_the_body() -> None:
    text = (
        "Dicecar soal Tarif, Nusaline Tegaskan Harga Tiket Tidak Naik\n\n"
        "Maskapai Nusaline Indonesia menggelar jumpa pers di Jakarta.\n"
    )
    short = text.index("Nusaline")
    full = text.index("Nusaline Indonesia")
    ents = [
        {"start": short, "end": short + 8, "label": "ORG", "text": "Nusaline"},
        {"start": full, "end": full + 18, "label": "ORG", "text": "Nusaline Indonesia"},
    ]
    (q,) = _q(text, entities=ents)
    assert q["content"]["text"] == "Harga Tiket Tidak Naik"
    assert q["speaker"]["text"] == "Nusaline"
    assert q["speaker_name"] == "Nusaline Indonesia"


@pytest.mark.parametrize(
    "text",
    [
        "Polisi Ungkap Penyebab Kebakaran Pasar Lama\n\nIsi berita.",
        "Cara Mudah Pastikan Rumah Tetap Sejuk di Musim Kemarau\n\nIsi berita.",
        "Nilai Tukar Rupiah Menguat Tipis pada Perdagangan Pagi\n\nIsi berita.",
        "Bantah Terlibat Kasus Suap di Kantor Dinas\n\nIsi berita.",
    ],
)
def test_headline_cue_without_a_source_or_a_clause_is_not_a_quote(text: str) -> None:
    assert _q(text) == []


# --------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------

_PIECES = ["kata ", "ujarnya", "Menurut ", "bahwa ", "&rdquo;", "mengatakan ", "Budi "]
_ALPHABET = st.sampled_from(
    [*"abcAB \"“”'.,:;?!()\n-", *_PIECES, "Ia ", "disebut ", "\x00", "&nbsp;"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_arbitrary_text_never_crashes_and_spans_are_valid(text: str) -> None:
    check_quotes(text, annotate(text))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.data())
def test_arbitrary_unicode_with_boilerplate_and_entities(text: str, data: st.DataObject) -> None:
    n = len(text)
    spans = []
    if n > 2:
        a = data.draw(st.integers(0, n - 2))
        b = data.draw(st.integers(a + 1, n))
        spans = [{"start": a, "end": b, "label": "PER", "text": text[a:b]}]
    out = annotate(text, boilerplate=spans, entities=spans)
    check_quotes(text, out)
    for q in out:
        for s in spans:
            c = q["content"]
            assert c["end"] <= s["start"] or c["start"] >= s["end"]


@pytest.mark.parametrize(
    "text",
    [
        '"' * 200_000,
        "“”" * 100_000,
        ", kata Budi" * 20_000,
        "kata " * 40_000,
        '" , kata ' * 25_000,
        "Menurut dia, " * 15_000,
        '\n"a' * 60_000,
        "A " * 100_000,
        "X disebut Budi akan " * 10_000,
    ],
)
def test_pathological_long_inputs_keep_the_invariants(text: str) -> None:
    check_quotes(text, annotate(text))  # how fast: bench/adversarial.py


def test_empty_and_blank_text() -> None:
    assert annotate("") == []
    assert annotate(" \n ") == []


def test_no_quote_marks_left_in_direct_content_edges() -> None:
    text = '“Kami siap,” ujar Dodi. "Semua lancar," kata Wulan.'
    for q in _q(text):
        assert not re.match(r'^["“”]', q["content"]["text"])


# --------------------------------------------------------------------------
# Fast pattern paths agree with the plain patterns
# --------------------------------------------------------------------------


def _equivalence_text() -> str:
    from warta.annotators import quotes as q

    cues = q._CUES
    words = sorted(cues.clause | cues.either | cues.passive)
    words += [w.capitalize() for w in sorted(cues.passive)]
    words += "Menurut menurutnya Merujuk Dilansir dari Dikutip dari Mengutip".split()
    words += "Berdasarkan keterangan memberikan saran disebut dinilai Dikatakan".split()
    parts = [f"Ali {w} bahwa harga naik, kata dia. Di Kota Bogor, {w}nya -Budi." for w in words]
    parts.append('"Ya!" ujar Ani -- Siti.\nKabupaten Garut\n\nProvinsi Aceh di Jawa Barat dr. X.')
    return " ".join(parts)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="abdeikmnrsuMDBKP ,.!?\n\t-–\x00", max_size=300))
def test_hinted_patterns_match_plain_ones(noise: str) -> None:
    from warta.annotators import quotes as q

    for text in (_equivalence_text(), noise, _equivalence_text() + noise):

        def spans(ms):
            return [(m.span(), m.groups()) for m in ms]

        assert spans(q._hinted(q._INDIRECT, q._INDIRECT_HINT, text)) == spans(
            q._INDIRECT.finditer(text)
        )
        plain_sent = [m for m in q._SENT.finditer(text) if m.group() != "\x00"]
        assert spans(q._hinted(q._SENT_TEXT, q._SENT_HINT, text)) == spans(plain_sent)
        assert spans(q._LOC_FAST.finditer(text)) == spans(q._LOC_AFTER_DI.finditer(text))
        ctx = q._Ctx(text, [], [])
        assert ctx.barriers == [m.start() for m in q._BARRIER.finditer(text)]


def _entities(text: str, names: dict[str, str]) -> list[dict]:
    """Entity spans of every occurrence of the given names (name -> label)."""
    out = []
    for name, label in names.items():
        for m in re.finditer(re.escape(name), text):
            out.append({"start": m.start(), "end": m.end(), "label": label, "text": name})
    return sorted(out, key=lambda e: e["start"])


@pytest.mark.parametrize(
    ("intro", "title"),
    [
        ("Presiden Rina Wati", "Presiden"),
        ("Kapolres Kota Bogor AKBP Rina Wati", "Kapolres Kota Bogor"),
    ],
)
def test_a_title_without_a_name_resolves_to_the_person_named_with_it(
    intro: str, title: str
) -> None:
    text = (
        f"{intro} meresmikan pasar baru di Bogor, Senin. Budi Santoso hadir dalam acara itu.\n\n"
        f'"Kami ingin pedagang sejahtera," tegas {title}.'
    )
    entities = _entities(text, {"Rina Wati": "PER", "Budi Santoso": "PER", "Bogor": "LOC"})
    (quote,) = _q(text, entities=entities)
    assert quote["speaker"]["text"] == title
    assert quote["speaker_name"] == "Rina Wati"


@pytest.mark.parametrize("short", ["Kementan", "KKP"])
def test_an_abbreviation_defined_in_brackets_resolves_to_the_long_name(short: str) -> None:
    """Initials and title-case syllabic abbreviations alike (``Kementan``)."""
    long = "Kementerian Pertanian"
    text = (
        f"{long} ({short}) menggelar rapat di Jakarta, Senin.\n\n"
        f"{short} menyatakan stok beras nasional aman hingga akhir tahun."
    )
    at = text.rindex(short)  # the speaker; the bracketed one is part of the definition
    entities = [
        {"start": 0, "end": len(long), "label": "ORG", "text": long},
        {"start": at, "end": at + len(short), "label": "ORG", "text": short},
    ]
    (quote,) = _q(text, entities=entities)
    assert quote["speaker"]["text"] == short
    assert quote["speaker_name"] == long


def test_a_speaker_name_never_runs_across_a_glued_sentence_end() -> None:
    """An entity span that a tagger ran over a glued full stop is cut at the sentence."""
    text = (
        "Harga beras naik sejak pekan lalu.Badan Pangan Nasional (Bapanas) menggelar "
        "operasi pasar di Bogor.\n\nBapanas menyatakan stok beras nasional aman hingga akhir tahun."
    )
    glued = text.index("lalu.Badan")
    at = text.rindex("Bapanas")
    entities = [
        {"start": glued, "end": text.index(" (Bapanas)"), "label": "ORG"},
        {"start": at, "end": at + len("Bapanas"), "label": "ORG"},
    ]
    (quote,) = _q(text, entities=entities)
    assert quote["speaker_name"] == "Badan Pangan Nasional"


@pytest.mark.parametrize(
    "role",
    ["Plt. Kepala Dinas Pertanian Kota Bogor", "Direktur Badan Pangan Kota Bogor"],
)
@pytest.mark.parametrize("with_entities", [False, True])
def test_the_speaker_is_the_name_before_a_title_in_apposition(
    role: str, with_entities: bool
) -> None:
    """``Nama, Jabatan Lembaga, mengatakan``: the person, not the office; ``Plt.`` (acting)
    is an abbreviation, not a sentence end."""
    text = f"Rina Wati, {role}, mengatakan harga beras akan naik bulan depan."
    office = text.index(role.split()[-4])
    entities = [
        {"start": 0, "end": len("Rina Wati"), "label": "PER"},
        {"start": office, "end": text.index(", mengatakan"), "label": "ORG"},
    ]
    (quote,) = _q(text, entities=entities if with_entities else ())
    assert quote["speaker"]["text"] == "Rina Wati"
    assert quote["speaker_name"] == "Rina Wati"
    assert quote["content"]["text"] == "harga beras akan naik bulan depan"


def test_an_agentless_passive_in_a_run_of_statements_continues_its_source() -> None:
    """Scheme rule 34: split around the cue, speaker null, speaker_name the source."""
    lead = '"Stok pupuk di gudang menipis," kata Rina Wati kepada wartawan.'
    text = f"{lead} Harga pupuk pun dinilai terlalu mahal bagi petani."
    quotes = _q(text)
    assert _texts(quotes) == [
        "Stok pupuk di gudang menipis,",
        "Harga pupuk",
        "terlalu mahal bagi petani",
    ]
    for quote in quotes[1:]:
        assert quote["cue"]["text"] == "dinilai"
        assert quote["speaker"] is None
        assert quote["speaker_name"] == "Rina Wati"


@pytest.mark.parametrize(
    "text",
    [
        "Hujan turun sejak pagi di Bogor. Harga pupuk pun dinilai terlalu mahal bagi petani.",
        '"Stok pupuk menipis," kata Rina Wati. Hal itu sudah dijelaskan kemarin sore oleh '
        "pengurus koperasi.",
    ],
)
def test_an_agentless_passive_after_narration_or_with_a_late_agent_is_no_quote(text: str) -> None:
    assert [q for q in _q(text) if q["kind"] == "indirect"] == []


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Budi Santoso tidak membantah bahwa harga beras naik bulan ini.", "tidak membantah"),
        ("Budi Santoso juga tak membantah bahwa harga beras naik bulan ini.", "tak membantah"),
    ],
)
def test_a_negated_cue_that_still_reports_keeps_its_negation(text: str, cue: str) -> None:
    """Scheme rule 38: the negation is part of the cue; other adverbs are not."""
    (quote,) = _q(text)
    assert quote["cue"]["text"] == cue
    assert quote["content"]["text"] == "harga beras naik bulan ini"
    assert quote["speaker_name"] == "Budi Santoso"


@pytest.mark.parametrize(
    "text",
    ["Budi Santoso tidak menyebutkan jumlahnya.", "Ia tidak mengatakan apa pun kepada wartawan."],
)
def test_a_negated_cue_that_reports_silence_is_no_quote(text: str) -> None:
    assert _q(text) == []
