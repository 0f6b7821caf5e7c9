"""Automatic boilerplate annotator (docs/GUIDELINES.md, section 2).

Marks page furniture in raw scraped Indonesian news text with one of six labels
(``byline``, ``related``, ``promo``, ``recommendations``, ``interface``,
``source``). Everything it does not mark is content.

Scrapes come in two shapes, and both must work: furniture on its own lines (a
run of such lines of one label becomes one span) and furniture glued inside a
line when the scraper dropped line breaks (the span covers exactly the
furniture). Rules are written for the furniture of the outlet families
(Kompas, Detik, CNN Indonesia, Tempo, Liputan6, Tribun, Okezone, ANTARA,
Republika, Kumparan, Sindonews, ...), never for one article.

Speed matters (the build annotates hundreds of articles a second), so all
patterns are compiled at import, every repetition is bounded or cannot
overlap with its neighbour (no catastrophic backtracking), and every scan that
runs past a regex match is capped in tokens or characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from warta.schema import FURNITURE

__all__ = ["LABELS", "annotate"]

# The categories the rules give, named through the schema: one renamed in schema/ fails here.
BYLINE, RELATED, PROMO = FURNITURE.byline, FURNITURE.related, FURNITURE.promo
RECOMMENDATIONS, INTERFACE, SOURCE = (
    FURNITURE.recommendations,
    FURNITURE.interface,
    FURNITURE.source,
)
LABELS = tuple(FURNITURE)

Span = tuple[int, int, str]

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------


def _words(spaced: str) -> frozenset[str]:
    """A word set written as one spaced string (easier to read and extend)."""
    return frozenset(spaced.split())


# Lowercase words that Indonesian title case leaves uncapitalised; they do not
# end a headline.
_MINOR = _words(
    "di ke dari pada untuk dan atau yang dengan vs vs. dalam oleh bagi tentang terhadap "
    "hingga sampai per si sang nan pun lah kah tak ala soal jadi usai jelang demi agar "
    "kok ini itu"
)
# Capitalised words that open body sentences and rarely end a headline, so they
# are handed back to the sentence that follows ("... Caranya Saat Anda ...").
# Words that often end headlines ("Ini", "Hari", "Tahun") are left out.
_SENT_START = _words(
    "Saat Ketika Namun Tetapi Tapi Selain Sementara Dalam Di Pada Untuk Menurut Sebagai "
    "Hal Sejak Setelah Sebelum Sebelumnya Dengan Jika Kalau Apabila Bila Meski Meskipun "
    "Walaupun Karena Sebab Oleh Adapun Kemudian Lalu Bahkan Maka Seperti Bagi Terkait "
    "Mengenai Para Sejumlah Seorang Sebuah Salah Selama Anda Kami Kita Ia Dia Mereka "
    "Beliau Berikut Diketahui Dikatakan"
)
_OUTLETS = (
    r"kompas|detik|tribun|liputan6|cnn|tempo|okezone|antara|republika|kumparan|"
    r"sindo|suara|jpnn|merdeka|viva|idn|inews|bisnis|kontan|katadata|tirto"
)

_MONTH = (
    r"(?:Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|"
    r"November|Desember|Jan|Feb|Mar|Apr|Jun|Jul|Agu|Agt|Ags|Aug|Sep|Sept|Okt|Oct|"
    r"Nov|Des|Dec)\.?"
)
_DAY = r"(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad)"
_TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*(?:WIB|WITA|WIT|GMT\+?\d*))?"
_DATE = rf"(?:\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}})"

_CREDIT_SRC = (
    r"KOMPAS\.com|Kompas\.com|KOMPAS\.COM|KOMPAS\.TV|Kompas\.tv|KOMPAS|"
    r"TRIBUNNEWS\.COM|Tribunnews\.com|TRIBUN[A-Z]*(?:\.COM)?|Tribun[A-Za-z]*(?:\.com)?|"
    r"ANTARA FOTO|ANTARA|Antara|Getty Images|GETTY IMAGES|Shutterstock|SHUTTERSTOCK|"
    r"Pexels|PEXELS|Unsplash|UNSPLASH|Freepik|FREEPIK|iStockphoto|iStock|ISTOCKPHOTO|"
    r"Pixabay|AFP|REUTERS|Reuters|AP Photo|EPA|Dok\.|DOK\.|Dokumentasi|"
    r"detikcom|Liputan6\.com|LIPUTAN6\.COM|TEMPO|Tempo|Okezone|SINDOnews|Republika|"
    r"REPUBLIKA|kumparan|CNN Indonesia|Instagram|Canva|Wikimedia Commons|Warta Kota|"
    r"WARTA KOTA|Istimewa|ISTIMEWA|"
    # any outlet domain: "Wartakotalive.com/Name", "SURYA.CO.ID/NAME"
    r"[A-Za-z][\w-]{1,30}\.(?:com|COM|id|ID|co\.id|CO\.ID|tv|TV|net|NET)"
)

# --------------------------------------------------------------------------
# Whole-line rules (applied to a stripped line)
# --------------------------------------------------------------------------

_LINE_RULES = re.compile(
    rf"(?P<{BYLINE}>"
    r"Laporan\s+(?:Wartawan|Reporter|Kontributor|Koresponden|Jurnalis)\b.{0,150}"
    r"|(?:Penulis|Editor|Reporter|Pewarta|Redaktur|Penyunting|Fotografer|Videografer|"
    r"Kontributor|Oleh|Rep|Red|Writer|Author)\s*:.{1,150}"
    r"|(?:Penulis|Editor|Reporter|Pewarta|Fotografer|Kontributor|Penyunting)\s+"
    r"[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,5}"
    r"|Tim\s+(?:Redaksi|detik\w*|CNN\s+Indonesia|[A-Za-z0-9]+\.com)"
    r"|(?:[A-Z][\w'.-]*\s+){0,4}[A-Z][\w'.-]*\s*,"
    r"|[A-Z][\w.' ]{0,60}\s-\s(?:detik\w+|Tempo|Okezone|CNN\s+Indonesia)"
    rf"|(?:(?:Diperbarui|Diterbitkan|Dipublikasikan|Update|Updated|Published|Terbit)\s*:?\s*)?"
    rf"(?:{_DAY},?\s*)?{_DATE}(?:[\s,|-]*(?:pukul\s*)?{_TIME})?"
    r")"
    rf"|(?P<{INTERFACE}>"
    r"(?i:oke|ok|bagikan|share|komentar|komentari|tweet|kirim|salin|salin link|"
    r"salin tautan|copy link|link disalin|ikuti|follow|selanjutnya|sebelumnya|"
    r"berikutnya|halaman selanjutnya|next|prev|previous|load more|muat lebih banyak|"
    r"lihat semua|lihat selengkapnya|tampilkan semua|beranda|home|simpan|dengarkan|"
    r"dengarkan berita|putar|tutup|close|laporkan|login|masuk|daftar|tulis komentar|"
    r"lihat komentar|kembali ke atas|back to top|lanjutkan membaca|baca selengkapnya|"
    r"tag|tags|topik|topik terkait|tag terkait|"
    r"(?:(?:lihat|tulis|beri|baca)\s+)?komentar\s+di\s+artikel\s+lain(?:nya)?)"
    r"|\d+\s+[Kk]omentar|Halaman\s*:?\s*\d+(?:\s+\d+){0,9}(?:\s+dari\s+\d+)?"
    r"|(?:\d+\s+){1,10}(?:Selanjutnya|Next|Berikutnya)"
    r"|(?:Login|Masuk)\s+untuk\b.{0,100}"
    r")"
    rf"|(?P<{PROMO}>Iklan|IKLAN|Konten\s+Bersponsor|Sponsored(?:\s+Content)?|Konten\s+Iklan|"
    r"Berlangganan)"
    rf"|(?P<{RECOMMENDATIONS}>"
    r"(?i:terkini lainnya|whats new|what's new|work smart|berita lainnya|artikel lainnya|"
    r"baca berita lainnya|terpopuler|paling populer|berita populer|populer lainnya|"
    r"rekomendasi untuk anda|pilihan untukmu|pilihan untuk anda|berita rekomendasi|"
    r"artikel rekomendasi|berita terbaru|berita terkini|most popular|topik pilihan|"
    r"video pilihan|berita pilihan|artikel pilihan|rekomendasi berita)"
    r")"
    rf"|(?P<{RELATED}>(?i:berita terkait|artikel terkait|baca juga|lihat juga|simak juga|"
    r"pilihan redaksi|pilihan editor)\s*:?)"
    r"|(?P<sep>[-=_*~•·]{3,}|\|)"
)

# After these header lines, headline-like lines continue the header's label.
_LIST_HEADERS = {RECOMMENDATIONS, RELATED}
_TAG_HEADER = re.compile(r"(?i:tags?|topik|topik terkait|tag terkait)\s*:?")

# --------------------------------------------------------------------------
# Inline triggers (searched inside lines)
# --------------------------------------------------------------------------

_INLINE = re.compile(
    # embedded video stubs (detik, CNN, liputan6): "Simak Video '...'" [Gambas:...]
    r"(?P<video>(?:Simak|Saksikan|Tonton|Lihat|SIMAK|SAKSIKAN|TONTON|LIHAT)\s+"
    r"(?:[Jj]uga\s+|JUGA\s+)?(?:[Vv]ideo|VIDEO)\b)"
    r"|(?P<gambas>\[Gambas:[^\]\n]{0,80}\])"
    # links to other stories
    r"|(?P<readalso>(?:Baca|BACA|Lihat|LIHAT|Simak|SIMAK)\s?(?:[Jj]uga|JUGA)"
    r"(?:\s*(?::|>>|»)|(?=\s*$)|(?=\s+[\"“'‘]?[A-Z0-9])|(?=[\"“][A-Z0-9]))"
    r"|(?:Pilihan\s+Editor|PILIHAN\s+EDITOR|Berita\s+Terkait|Artikel\s+Terkait|"
    r"Baca\s+[Ss]elanjutnya|BACA\s+SELANJUTNYA|"
    r"BERITA\s+TERKAIT)\s*:|(?:Baca|BACA)\s*:(?=\s*[\"“]?[A-Z0-9]))"
    # advertising markers
    r"|(?P<terkini>Terkini\s+Lainnya|TERKINI\s+LAINNYA)"
    r"|(?P<advert>\bADVERTISEMENT\b|(?<!\S)Advertisement(?![\w-]))"
    # interface prompts
    r"|(?P<ui>SCROLL\s+TO\s+(?:CONTINUE|RESUME)\s+WITH\s+CONTENT|"
    r"Baca\s+halaman\s+(?:selanjutnya|berikutnya)|BACA\s+HALAMAN\s+(?:SELANJUTNYA|BERIKUTNYA)|"
    r"(?:Lanjut(?:kan)?\s+ke|Selengkapnya\s+di)\s+halaman\s+(?:selanjutnya|berikutnya)\.?|"
    r"Scroll\s+to\s+continue\s+with\s+content|"
    r"(?:Scroll|Gulir)\s+(?:ke\s+bawah\s+)?untuk\s+melanjutkan(?:\s+membaca)?|"
    r"Close\s+Ads|CLOSE\s+ADS|Tutup\s+[Ii]klan|Bagikan\s+artikel\s+ini(?:\s+melalui)?|"
    r"Lihat\s+Foto|Halaman\s+\d{1,3}\s+dari\s+\d{1,3}|"
    r"(?:Login|Masuk)\s+untuk\s[^\n.!?]{0,80}[.!?]?)"
    r"|(?P<tags>(?<![\w])(?:Tags?|TAGS?)\s*:)"
    # promotion of channels, apps and subscriptions
    r"|(?P<promo>(?:\*{2,}+\s*)?(?:Baca\s+berita\s+(?:tanpa|dengan\s+sedikit)\s+iklan|Gabung\s+Kompas\.com\+|"
    r"Simak\s+breaking\s+news|"
    r"Dapatkan\s+(?:update|berita|informasi|info|kabar|notifikasi)\b(?=[^\n]{0,200}?"
    r"(?:WhatsApp|Whatsapp|Telegram|Google\s?News|[Aa]plikasi|[Cc]hannel|[Kk]anal|[Ss]aluran|"
    r"klik|[Ff]ollow|[Ii]kuti|[Gg]abung|bergabung|notifikasi|download|unduh))|"
    r"\*++\s*Fakta\s+atau\s+[Hh]oaks\?|"
    r"Untuk\s+mengetahui\s+kebenaran\s+informasi|"
    r"(?:Ikuti|IKUTI|Follow|FOLLOW)\s+(?:[Bb]erita|BERITA|[Kk]ami|[Uu]pdate|[Ss]aluran|"
    r"[Cc]hannel|[Aa]kun|[Ii]nstagram|[Ww]hats[Aa]pp|[Tt]erus|[Jj]uga|[Ss]osial|[Kk]anal)"
    r"(?=[^\n]{0,120}?(?:Google\s?News|GOOGLE\s?NEWS|WhatsApp|Whatsapp|WHATSAPP|Telegram|"
    r"Instagram|YouTube|Youtube|TikTok|Twitter|Facebook|[Cc]hannel|[Ss]aluran|[Kk]anal))|"
    r"Gabung(?:lah)?\s+(?:ke\s+|di\s+|dengan\s+)?(?:[Cc]hannel|[Ss]aluran|[Kk]anal|[Gg]rup|"
    r"[Kk]omunitas|WhatsApp)|"
    r"(?:Download|Unduh|Install|Instal)\s+(?:[Aa]plikasi|[Aa]pps?)\b|"
    r"Cek\s+[Bb]erita\s+dan\s+[Aa]rtikel\s+yang\s+lain\s+di|"
    r"(?:Baca|Simak|Cek)\s+(?:[Bb]erita|[Aa]rtikel|[Ii]nfo)\s(?=[^\n]{0,80}?(?:Google\s?News|"
    r"GOOGLE\s?NEWS|WhatsApp|Telegram|[Aa]plikasi))))"
    r"|(?P<postby>A\s+post\s+shared\s+by\s[^\n()]{1,80}\(@[\w.]{1,60}\))"
    # credits of where the story comes from
    r"|(?P<tayang>(?:Artikel|Berita|Tulisan|Konten)\s+ini\s+(?:telah\s+|sudah\s+)?"
    r"(?:pertama\s+kali\s+)?(?:tayang|naik|terbit|dimuat|diterbitkan|ditayangkan|"
    r"dipublikasikan)\b)"
    r"|(?P<bacaartikel>Baca\s+artikel\s+\w+,\s)"
    r"|(?P<sumber>(?<![\w])(?:Sumber|SUMBER)\s*:\s*)"
    r"|(?P<copyright>(?:Copyright|COPYRIGHT|Hak\s+[Cc]ipta)\s*(?:©|\(c\)|&copy;)?\s*"
    r"(?:[A-Z][\w.]*\s+){0,4}\d{4}(?:\s+(?!Dilarang\b)[A-Z][\w.]*){0,3}"
    r"|©\s*\d{4}(?:\s+(?!Dilarang\b)[A-Z][\w.]*){0,3})"
    r"|(?P<noscrape>Dilarang\s+keras\s+mengambil\s+konten[^\n.]{0,300}\.?)"
    # author and reporter credits
    r"|(?P<credparen>\((?:Penulis|Editor|Reporter|Pewarta|Laporan|Penyunting)\b[^()\n]{0,250}\))"
    r"|(?P<laporan>Laporan\s+(?:Wartawan|Reporter|Kontributor|Koresponden|Jurnalis)\b)"
    r"|(?P<pipe>(?:Penulis|PENULIS)\s+(?=[A-Z]))"
    r"|(?P<label>(?<![\w])(?:Penulis|Editor|Reporter|Pewarta|Redaktur|Penyunting|Rep|Red|"
    r"PENULIS|EDITOR|REPORTER|PEWARTA|"
    r"Fotografer|Videografer)\s*:\s*)"
    r"|(?P<outletdate>[A-Za-z][\w-]{1,30}\.(?:com|tv|id|co\.id)\s*-\s*\d{1,2}/\d{1,2}/\d{4}"
    r",?\s*\d{1,2}[:.]\d{2}(?:\s*WI[BT]A?)?)"
    # photo credits
    rf"|(?P<photo>\(?(?<![\w/])(?:{_CREDIT_SRC})\s?/\s?(?=[A-Za-z@]))"
    r"|(?P<foto>(?<![\w])\(?(?:Foto|FOTO)\s*:\s*)"
    r"|(?P<dok>\(?(?<![\w])(?:Dok\.|DOK\.|Dokumentasi|DOKUMENTASI)\s?(?=[A-Z]))"
    # sign-offs: (abc/xyz), (abc), (*), (Name Name)
    r"|(?P<signoff>\(\s?(?:[a-z]{2,6}(?:\s?/\s?[a-z]{2,6}){0,3}|[A-Za-z]{2,6}(?:\s?/\s?"
    r"[A-Za-z]{2,6}){1,3}|\*{1,3})\s?\))"
    r"|(?P<namesign>\(\s?[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,3}\s?\)(?=[ \t]*$|\s+(?:Follow|"
    r"Ikuti|Baca|Dapatkan|Simak|Artikel|Sumber|Editor|Penulis|Copyright|ADVERTISEMENT)\b))",
    re.MULTILINE,
)

# Literal starts of every _INLINE branch (".com - d" marks an outlet date). No groups:
# a capturing group would disable the engine's first-character prefilter.
_CAND = re.compile(
    r"\.(?:com|tv|id) ?- ?\d|Simak|Saksikan|Tonton|Lihat|SIMAK|SAKSIKAN|TONTON|LIHAT|"
    r"\[Gambas|Baca|BACA|Pilihan|PILIHAN|Berita|BERITA|Artikel|ADVERTISEMENT|Advertisement|"
    r"SCROLL|Scroll|Gulir|Close|CLOSE|Tutup|Bagikan|Halaman|Login|Masuk|Tags?|TAGS?|\*\*|"
    r"Dapatkan|Untuk|Terkini|TERKINI|Ikuti|IKUTI|Follow|FOLLOW|Gabung|Download|Unduh|Instal|"
    r"Cek|A post|EDITOR|REPORTER|PEWARTA|Lanjut|Selengkapnya|"
    r"Tulisan|Konten|Sumber|SUMBER|Copyright|COPYRIGHT|Hak|©|Dilarang|\(|Laporan|Penulis|"
    r"Editor|Reporter|Pewarta|Redaktur|Penyunting|Fotografer|Videografer|Foto|KOMPAS|Kompas|"
    r"TRIBUN|Tribun|ANTARA|Antara|Getty|GETTY|Shutter|SHUTTER|Pexels|PEXELS|Unsplash|"
    r"UNSPLASH|Freepik|FREEPIK|iStock|ISTOCK|Pixabay|AFP|REUTERS|Reuters|AP|EPA|Dok|DOK|"
    r"detikcom|Liputan6|LIPUTAN6|TEMPO|Tempo|Okezone|SINDO|Republika|REPUBLIKA|kumparan|"
    r"CNN|Instagram|Canva|Wikimedia|Warta|WARTA|Istimewa|ISTIMEWA|Rep|Red|PENULIS|FOTO|"
    r"DOKUMENTASI|\.(?:com|COM|id|ID|co\.id|CO\.ID|tv|TV|net|NET) ?/"
)
_TOKEN = re.compile(r"\S+")
_CAMEL = re.compile(r"[a-z][A-Z]")
_SENT_BREAK = re.compile(r"[.!?][\"”’]?\s+[\"“]?[A-Z]")
_CREDIT_WORDS = _words(
    "Penulis Editor Reporter Pewarta Redaktur Penyunting Fotografer Videografer Rep Red "
    "Sumber Foto Copyright Kontributor"
)
_STOCK = re.compile(
    r"getty|shutterstock|pexels|unsplash|freepik|istock|pixabay|canva|wikimedia|instagram",
    re.IGNORECASE,
)
_PARTICLES = frozenset(["bin", "binti", "van", "de", "al", "el", "da", "dos", "von", "der"])
_OPEN_Q = "\"“”'‘’"


# --------------------------------------------------------------------------
# Scanners that find where a piece of glued furniture ends
# --------------------------------------------------------------------------


def _kind(tok: str) -> str:
    """Classify a token as ``cap`` (title case or no letters), ``minor`` or ``lower``."""
    for ch in tok:
        if ch.isalpha():
            if ch.isupper():
                return "cap"
            word = tok.strip(_OPEN_Q + ",.:;!?()[]")
            return "minor" if word.lower() in _MINOR else "lower"
    return "cap"


def _headline_end(text: str, pos: int, limit: int) -> int:
    """End of a title-case headline glued before body text starting at ``pos``.

    A headline ends where the body's first sentence begins: the capitalised
    word before the first lowercase content word, or an opening quote mark.
    """
    toks: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(text, pos, limit):
        toks.append((m.start(), m.end()))
        if len(toks) >= 40:
            break
    if not toks:
        return pos
    # Find the first lowercase content word; an opening quote or other furniture
    # ends the headline before that.
    first_lower = None
    for i, (s, e) in enumerate(toks):
        tok = text[s:e]
        if i and tok[0] in '"“' and len(tok) > 1:
            return toks[i - 1][1]
        if _kind(tok) == "lower":
            first_lower = i
            break
        if _INLINE_STOP.match(text, s):
            return toks[i - 1][1] if i else pos
    if first_lower is None:
        # No lowercase word at all: the headline runs to the line end, unless the
        # line is too long to be one headline (then cap it at a headline's length).
        return toks[-1][1] if len(toks) < 40 else toks[24][1]
    j = first_lower - 1
    while j > 0 and _kind(text[toks[j][0] : toks[j][1]]) == "minor":
        j -= 1
    if j <= 0:
        return _sentence_case_end(text, toks)
    # "BaruBudi mengatakan": the link text was glued to the sentence's first word.
    tj = text[toks[j][0] : toks[j][1]]
    cam = _CAMEL.search(tj, 2)
    if cam and tj[: cam.start() + 1][-1].islower():
        return toks[j][0] + cam.start() + 1
    k = j
    while k > 1 and text[toks[k - 1][0] : toks[k - 1][1]].rstrip(",:;") in _SENT_START:
        k -= 1
    tk = text[toks[k - 1][0] : toks[k - 1][1]]
    cam = _CAMEL.search(tk, 2)
    if cam and tk[cam.start() + 1 :] in _SENT_START:
        return toks[k - 1][0] + cam.start() + 1
    return toks[k - 1][1]


def _sentence_case_end(text: str, toks: list[tuple[int, int]]) -> int:
    """End of a sentence-case headline (ANTARA style) glued before the body.

    Only proper nouns are capitalised inside such a headline, so the body most
    likely starts at a title-case word that follows a lowercase one, after the
    headline's first few words; a full stop before that ends the headline too.
    """
    for i, (s, e) in enumerate(toks[:24]):
        tok = text[s:e]
        if i >= 4 and tok[0].isupper() and not tok.isupper():
            prev = text[toks[i - 1][0] : toks[i - 1][1]]
            if prev[-1].isalpha() and prev[0].islower():
                return toks[i - 1][1]
        if tok[-1] in ".!?" and len(tok) > 3 and i >= 2:
            return e
    return toks[min(len(toks), 12) - 1][1]


_INLINE_STOP = re.compile(
    r"ADVERTISEMENT\b|Advertisement\b|SCROLL\s+TO\b|Baca\s+[Jj]uga\b|BACA\s+JUGA\b|"
    r"\[Gambas:|Halaman\s+\d|Lihat\s+Foto\b|Simak\s+(?:[Jj]uga\s+)?[Vv]ideo\b"
)


def _name_end(
    text: str, pos: int, limit: int, max_tokens: int = 5, lower_first: bool = False
) -> int:
    """End of a credited name glued before other text (caption, dateline, body).

    Names are title-case or all-caps words. The name stops at a lowercase word
    (handing back a capitalised word that opens the next sentence), at a switch
    between all-caps and title case, at a comma, or inside a token where link
    text was glued to the next word ("Nadia RahmawatiSeorang").
    """
    end = prev_end = pos
    caps_mode: bool | None = None
    # Every token either extends the name or ends the loop, so the index
    # counts the name's words so far.
    for count, m in enumerate(_TOKEN.finditer(text, pos, limit)):
        tok = m.group()
        core = tok.rstrip(",;:)")
        stop = len(core) < len(tok)
        if core.endswith(".") and len(core) > 3 and core[-2].islower():
            core, stop = core[:-1], True
        if not core:
            break
        cam = _CAMEL.search(core, 1)
        if cam:
            if core[0].isupper() or (count == 0 and lower_first):
                return m.start() + cam.start() + 1
            return end
        first = core[0]
        if count and (
            (
                core in _CREDIT_WORDS
                and (tok.endswith(":") or text.startswith(":", m.end()) or core == "Copyright")
            )
            or _INLINE_STOP.match(text, m.start())
        ):
            break
        if count and core.lower() in _PARTICLES:
            pass
        elif first.isupper() or (count == 0 and (first == "@" or lower_first)):
            letters = [c for c in core if c.isalpha()]
            is_caps = all(c.isupper() for c in letters)
            if len(letters) <= 1:
                pass  # an initial ("M", "C") fits either style
            elif caps_mode is None:
                caps_mode = is_caps
            elif (caps_mode and not is_caps) or (not caps_mode and is_caps and len(letters) > 3):
                break
        else:
            if count >= 2 and not caps_mode and first.isalpha():
                # The last capitalised word opens the sentence that follows.
                return prev_end
            break
        prev_end = end
        end = m.start() + len(core)
        if stop or count + 1 >= max_tokens:
            break
    return end


_SENT_END = re.compile(r"[.!?](?=[\s\"”’)]|$)|\n")


def _sentence_end(text: str, pos: int, limit: int, cap: int = 300) -> int:
    """End of the sentence starting at ``pos`` (after its final punctuation)."""
    m = _SENT_END.search(text, pos, min(limit, pos + cap))
    if m is None:
        return min(limit, pos + cap) if limit - pos <= cap else pos
    return m.end() if m.group() != "\n" else m.start()


_PROMO_VOCAB = re.compile(
    r"(?i:whatsapp|channel|kanal|saluran|google\s?news|telegram|aplikasi|install|instal|"
    r"unduh|download|klik|link|tautan|https?://|gabung|ikuti|follow|berlangganan|langganan|"
    r"ponsel|notifikasi|play\s?store|app\s?store)"
)


def _promo_chain(text: str, end: int, limit: int) -> int:
    """Absorb the promo's following sentences while they still talk channels and apps."""
    while True:
        s = end
        while s < limit and text[s] in " \t\xa0":
            s += 1
        if s >= limit:
            return end
        e = _sentence_end(text, s, limit, 250)
        if e <= s or not _PROMO_VOCAB.search(text, s, e):
            return end
        end = e


# --------------------------------------------------------------------------
# Inline handlers: given a trigger match, return (end, label) or None
# --------------------------------------------------------------------------


def _line_start(text: str, pos: int, lo: int) -> bool:
    """True when only spaces separate ``pos`` from the start of its line."""
    return not text[lo:pos].strip()


_CLOSE_Q_COLON = re.compile(r"[\"“”'‘’](?=\s|:|$)")


def _h_video(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    e = m.end()
    g = text.find("[Gambas:", e, min(hi, e + 300))
    if g >= 0:
        close = text.find("]", g, min(hi, g + 90))
        if close >= 0:
            return close + 1, RELATED
    s = e
    while s < hi and text[s] in " :":
        s += 1
    if s < hi and text[s] in _OPEN_Q:
        mq = _CLOSE_Q_COLON.search(text, s + 1, min(hi, s + 250))
        if mq:
            e = mq.end()
            if e < hi and text[e] == ":":
                e += 1
            return e, RELATED
    if (
        _line_start(text, m.start(), lo)
        and hi - m.start() <= 200
        and (text[hi - 1] == ":" or _VIDEO_INTRO.search(text, m.end(), hi))
    ):
        return hi, RELATED
    return None


_VIDEO_INTRO = re.compile(r"(?i:berikut|di\s+bawah|pilihan|terkait|selengkapnya|juga)")


def _h_readalso(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    s = m.end()
    if s < hi and text[s] in "\"“" and m.group().rstrip()[-1:].isalpha():
        # ``Baca Juga“Kami ...”``: the scrape lost the link's headline and glued the
        # cue to the next paragraph's opening quote; only the cue is furniture.
        return s, RELATED
    while s < hi and text[s] in " \t\xa0":
        s += 1
    if s >= hi:
        return m.end(), RELATED
    if _line_start(text, m.start(), lo) and hi - s <= 200 and not _INLINE_STOP.search(text, s, hi):
        return hi, RELATED
    e = _headline_end(text, s, hi)
    return max(e, m.end()), RELATED


_URL = re.compile(r"[,.]?\s*(?:-\s*)?(?:Klik\s+untuk\s+baca\s*:?\s*)?https?://\S{1,300}")
_CLOSE_Q = re.compile(r"[\"”'’]")
_DEJUDUL = re.compile(r"[^\n]{0,120}?\bdengan\s+judul\s*:?\s*")


def _h_tayang(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    s = m.end()
    dj = _DEJUDUL.match(text, s, hi)
    if dj:
        s = dj.end()
        if s < hi and text[s] in "\"“'‘":
            mq = _CLOSE_Q.search(text, s + 1, min(hi, s + 250))
            e = mq.end() if mq else _headline_end(text, s + 1, hi)
        elif _line_start(text, m.start(), lo) and hi - s <= 250:
            e = hi
        else:
            e = _headline_end(text, s, hi)
        mu = _URL.match(text, e, hi)
        if mu:
            e = mu.end()
        return e, SOURCE
    return max(_sentence_end(text, s, hi, 150), s), SOURCE


def _h_bacaartikel(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    url = text.find("http", m.end(), min(hi, m.end() + 300))
    if url < 0:
        return None
    mu = _TOKEN.match(text, url)
    return (mu.end() if mu else url), SOURCE


def _h_sumber(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    end = m.end()
    for n, t in enumerate(_TOKEN.finditer(text, m.end(), hi)):
        tok = t.group()
        core = tok.rstrip(",.;")
        if not core or core[0] == "(":
            break
        if not (
            core[0].isupper()
            or "." in core
            or core.startswith("http")
            or core.lower() in ("dan", "&", "/")
        ):
            break
        end = t.start() + len(core)
        if n >= 5:
            break
    return (end, SOURCE) if end > m.end() else None


def _h_labelled(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    """``Penulis: X | Editor: Y`` chains, glued or on their own line."""
    end = m.end()
    while True:
        e = _name_end(text, end, hi, 6)
        if e <= end:
            break
        end = e
        more = _NAME_SEP.match(text, end, hi)
        if more and _name_end(text, more.end(), hi, 6) > more.end():
            end = more.end()
            continue
        nxt = _LABEL_NEXT.match(text, end, hi)
        if not nxt:
            break
        end = nxt.end()
    if end == m.end():
        return None
    return end, BYLINE


def _h_pipe(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    """Kompas header ``Penulis Name | Editor Name`` (no colons): only with the pipe."""
    e = _name_end(text, m.end(), hi, 6)
    nxt = _PIPE_EDITOR.match(text, e, hi)
    if e <= m.end() or nxt is None:
        return None
    e2 = _name_end(text, nxt.end(), hi, 6)
    return (e2, BYLINE) if e2 > nxt.end() else None


_PIPE_EDITOR = re.compile(r"\s*\|\s*(?:Editor|EDITOR)\s*:?\s*")

_NAME_SEP = re.compile(r"\s*(?:,|dan|&)\s*")
_LABEL_NEXT = re.compile(
    r"\s*[|,/]?\s*(?:Penulis|Editor|Reporter|Pewarta|Redaktur|Penyunting|Fotografer|Rep|Red|"
    r"Videografer)\s*:\s*"
)


def _h_laporan(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    comma = text.find(",", m.end(), min(hi, m.end() + 80))
    if comma < 0:
        if _line_start(text, m.start(), lo) and hi - m.start() <= 150:
            return hi, BYLINE
        return None
    e = _name_end(text, comma + 1, hi, 5)
    return (e if e > comma + 1 else comma + 1), BYLINE


def _h_photo(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    """``KOMPAS.com/NAME``, ``Getty Images/iStockphoto``, ``(ANTARA FOTO/Name/abc)``.

    Stock libraries credit lowercase handles (``Freepik/jcomp``); outlets credit
    capitalised names, so a lowercase word after ``Antara/`` is not a credit.
    """
    lower = _STOCK.match(text, m.start() + (text[m.start()] == "(")) is not None
    if not lower:
        nxt = text[m.end() : m.end() + 2]
        lower = (nxt[:1] == "i" and nxt[1:2].isupper()) or nxt.startswith("detik")
    e = _name_end(text, m.end(), hi, 5, lower_first=lower)
    if e <= m.end():
        return None
    return _close_paren(text, m.start(), e, hi), BYLINE


def _close_paren(text: str, start: int, e: int, hi: int) -> int:
    """Extend a credit opened by ``(`` to its closing bracket."""
    if text[start] != "(":
        return e
    close = text.find(")", e, min(hi, e + 3))
    return close + 1 if close >= 0 else e


def _h_foto(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    """Detik-style ``Foto: Name/detikcom``; a caption after ``Foto:`` stays content."""
    e = _name_end(text, m.end(), hi, 5, lower_first=_STOCK.match(text, m.end()) is not None)
    if e <= m.end():
        return None
    sl = _SLASH_SRC.match(text, e, hi)
    if sl:
        e = sl.end()
    elif not (e >= hi or text[e] == ")" or text[e : e + 2] == ". "):
        return None
    return _close_paren(text, m.start(), e, hi), BYLINE


_SLASH_SRC = re.compile(r"\s?/\s?[\w.]{2,30}(?:/[\w.]{2,30}){0,2}")


def _h_dok(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    """``Dok. Pribadi``, ``(DOK. HUMAS POLRI)``: a photo credit."""
    e = _name_end(text, m.end(), hi, 6)
    if e <= m.end():
        return None
    return _close_paren(text, m.start(), e, hi), BYLINE


def _after_furniture_or_sentence(text: str, pos: int, lo: int, spans: list[Span]) -> bool:
    """True when a sign-off or credit at ``pos`` stands where furniture can stand.

    That is after a sentence end, at a line start, right after other furniture,
    or glued to the previous word (a scrape that lost the break). ``data
    Antara/BPS`` in running text fails this test and stays content.
    """
    p = pos - 1
    while p >= lo and text[p] in " \t\xa0":
        p -= 1
    if p < lo:
        return True
    if text[p] in ".!?\"”’')]:" or (p == pos - 1 and text[p].isalpha()):
        return True
    return bool(spans) and spans[-1][1] == p + 1


def _simple(label: str) -> Callable[[str, re.Match[str], int, int], tuple[int, str] | None]:
    def handler(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
        return m.end(), label

    return handler


def _h_promo(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    e = _sentence_end(text, m.end(), hi, 250)
    e = max(e, m.end())
    return _promo_chain(text, e, hi), PROMO


_OUTLET_RE = re.compile(_OUTLETS, re.IGNORECASE)


def _h_postby(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    return m.end(), (PROMO if _OUTLET_RE.search(m.group()) else RELATED)


def _h_rest_of_line(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    """``Terkini Lainnya`` glued before a run of headlines: the rest of the line."""
    return hi, RECOMMENDATIONS


def _h_tags(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, str] | None:
    return (hi, INTERFACE) if hi - m.end() <= 400 else None


_HANDLERS: dict[str, Callable[[str, re.Match[str], int, int], tuple[int, str] | None]] = {
    "video": _h_video,
    "gambas": _simple(RELATED),
    "readalso": _h_readalso,
    "advert": _simple(PROMO),
    "terkini": _h_rest_of_line,
    "ui": _simple(INTERFACE),
    "tags": _h_tags,
    "promo": _h_promo,
    "postby": _h_postby,
    "tayang": _h_tayang,
    "bacaartikel": _h_bacaartikel,
    "sumber": _h_sumber,
    "copyright": _simple(SOURCE),
    "noscrape": _simple(SOURCE),
    "credparen": _simple(BYLINE),
    "laporan": _h_laporan,
    "label": _h_labelled,
    "outletdate": _simple(BYLINE),
    "photo": _h_photo,
    "foto": _h_foto,
    "dok": _h_dok,
    "pipe": _h_pipe,
}


_STARS = re.compile(r"\*+")
_TAIL_TAGS = re.compile(r"[ \t\n]+([a-z][a-z0-9 \-]{0,300}?[a-z0-9])[ \t\n]*\Z")


def _scan_line(text: str, lo: int, hi: int, spans: list[Span]) -> None:
    """Find glued furniture in ``text[lo:hi]`` and append its spans.

    The cheap literal prefilter ``_CAND`` finds where a trigger may start; the
    full trigger pattern is only tried there, which keeps the scan fast.
    """
    pos = lo
    while pos < hi:
        c = _CAND.search(text, pos, hi)
        if c is None:
            return
        at = c.start()
        if text[at] == ".":
            # "Outlet.com - 26/07/2023" or "Outlet.com/NAME": back up to the outlet's name.
            while at > lo and (text[at - 1].isalnum() or text[at - 1] == "-"):
                at -= 1
        m = _INLINE.match(text, at, hi)
        if m is None:
            # A trigger matching inside a run of "*" would match at its start
            # too: skip the run rather than retry each star (quadratic in it).
            pos = _STARS.match(text, at).end() if text[at] == "*" else c.start() + 1
            continue
        kind = m.lastgroup or ""
        res: tuple[int, str] | None
        if kind in ("signoff", "namesign"):
            res = None
            if _after_furniture_or_sentence(text, m.start(), lo, spans):
                res = (m.end(), BYLINE)
        elif (
            kind == "photo"
            and text[m.start()] != "("
            and not _after_furniture_or_sentence(text, m.start(), lo, spans)
        ):
            # Mid-sentence, only an all-caps name of two words or more is a credit
            # ("... di lokasi KOMPAS.com/ADIL NURSALAM"), not "data Antara/BPS".
            res = _h_photo(text, m, lo, hi)
            if res is not None:
                name = text[m.end() : res[0]].split()
                if len(name) < 2 or not all(w.isupper() for w in name):
                    res = None
        else:
            res = _HANDLERS[kind](text, m, lo, hi)
        if res is None:
            pos = c.start() + 1
            continue
        end, label = res
        end = max(end, m.start() + 1)
        spans.append((m.start(), end, label))
        pos = end
        if kind == "signoff" and "/" in m.group():
            tail = _TAIL_TAGS.match(text, end)
            if tail and len(tail.group(1)) <= 300:
                spans.append((tail.start(1), tail.end(1), INTERFACE))
                return


# --------------------------------------------------------------------------
# Line pass
# --------------------------------------------------------------------------


_BACA_BARE = re.compile(r"(?:baca|lihat|simak)\s?juga\s*(?::|>>|»)?", re.IGNORECASE)


def _list_line(s: str) -> bool:
    """A line that can sit in a list of headlines (no prose sentence)."""
    if len(s) > 200 or (s.endswith(".") and not s.endswith("...")):
        return False
    if s[:1] in _OPEN_Q:
        return False
    return not _SENT_BREAK.search(s)


_NAME_ONLY = re.compile(r"[A-Z][\w'.-]*(?:[ \t]+(?:[A-Z][\w'.-]*|bin|binti|van|de|al)){0,4}")


def _name_after_credit(text: str, spans: list[Span], s: int, line: str) -> bool:
    """A name-only line directly under a byline line that ends with a comma.

    Bylines list their authors one per line, ``Name,`` each but the last
    (often the editor's); that last bare name continues the credit run.
    """
    if not spans or len(line) > 60 or not _NAME_ONLY.fullmatch(line):
        return False
    _ps, pe, lab = spans[-1]
    if lab != BYLINE or text[pe - 1 : pe] != "," or text[pe:s].count("\n") != 1:
        return False
    return text[pe:s].strip() == ""


def annotate(text: str) -> list[dict[str, object]]:
    """Return the boilerplate spans of ``text``, sorted, non-overlapping, trimmed."""
    spans: list[Span] = []
    mode: str | None = None  # label continued by list lines after a header
    pending_sep: tuple[int, int] | None = None
    n = len(text)
    lo = 0
    while lo <= n:
        nl = text.find("\n", lo)
        hi = n if nl < 0 else nl
        s, e = lo, hi
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        lo = hi + 1
        if s == e:
            continue
        before = len(spans)
        line = text[s:e]
        lab: str | None = None
        lm = None
        if e - s <= 300:
            lm = _LINE_RULES.fullmatch(line)
            if lm:
                lab = lm.lastgroup
        if lab == "sep":
            pending_sep = (s, e)
            continue
        if lab is None and _name_after_credit(text, spans, s, line):
            lab = BYLINE  # ``Editor Name`` closing an author list (``Name,``)
        if lab is None:
            _scan_line(text, s, e, spans)
            if len(spans) > before:
                lab = "done"
            elif mode == INTERFACE:
                if len(line) <= 60 and not _SENT_BREAK.search(line):
                    lab = INTERFACE
            elif mode is not None and _list_line(line):
                lab = mode
        elif mode in _LIST_HEADERS and lab == BYLINE and _list_line(line):
            lab = mode  # publish times inside a headline list
        if lab == "done":
            mode = None
        elif lab is not None:
            if lab in _LIST_HEADERS and lm is not None and lm.lastgroup == lab:
                # "Berita Terkait" heads a list of headlines. A bare "Baca Juga"
                # heads one link whose text scrapers drop, and what follows it is
                # the story again (often a title-case subheading).
                mode = lab if _BACA_BARE.fullmatch(line) is None else None
            elif lm is not None and _TAG_HEADER.fullmatch(line):
                mode = INTERFACE
            spans.append((s, e, lab))
        else:
            mode = None
        if pending_sep is not None:
            if len(spans) > before and spans[before][0] == s:
                first = spans[before]
                spans[before] = (pending_sep[0], first[1], first[2])
            pending_sep = None
    return _finish(text, spans)


def _finish(text: str, spans: list[Span]) -> list[dict[str, object]]:
    """Trim, drop overlaps, merge same-label neighbours split only by whitespace."""
    spans.sort(key=lambda t: (t[0], -t[1]))
    out: list[Span] = []
    for s, e, lab in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        if out and s < out[-1][1]:
            if e <= out[-1][1]:
                continue
            s = out[-1][1]
            while s < e and text[s].isspace():
                s += 1
            if s >= e:
                continue
        if out and out[-1][2] == lab and not text[out[-1][1] : s].strip():
            out[-1] = (out[-1][0], e, lab)
        else:
            out.append((s, e, lab))
    return [{"start": s, "end": e, "label": lab, "text": text[s:e]} for s, e, lab in out]
