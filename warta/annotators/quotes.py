"""Automatic quote annotator (docs/GUIDELINES.md, section 4).

Rules, not a model: Indonesian news reports speech in a small number of fixed
shapes (quotation marks with a trailing ``kata X``; ``X mengatakan bahwa ...``;
``Menurut X, ...``; an attribution inserted mid-sentence), so compiled regular
expressions over the text plus a little discourse state (who spoke last) get
most quotes, their cues and their speakers. Every pattern is linear or works on
a bounded window, so no input can make the annotator hang.

Entities from the entity annotator are used when given (for speaker spans and
for the fullest name of a source); without them name runs are guessed from
capitalisation, so the annotator still works with ``entities=()``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from warta import lexicons
from warta.annotators import speech
from warta.annotators.coreference import Abbreviations, Organisations, People
from warta.schema import ENTITY, QUOTE, QUOTE_KIND

# The labels and kinds the rules read and give, named through the schema.
PER, ORG = ENTITY.PER, ENTITY.ORG
DIRECT, INDIRECT, MIXED = QUOTE_KIND.direct, QUOTE_KIND.indirect, QUOTE_KIND.mixed

Span = dict[str, object]

# --------------------------------------------------------------------------
# Word lists. Lower case; a word's trailing "." is ignored when looking it up.
# --------------------------------------------------------------------------


def _ws(words: str) -> frozenset[str]:
    """A word set written as one spaced string (easier to read and extend)."""
    return frozenset(words.split())


# Speech cue forms, built from the speech roots of ``speech_cues.json`` (see
# warta.annotators.speech): bare forms after a quote or inserted (``kata X``);
# active verbs whose reported clause may follow directly (strong) or only after a
# comma, colon or complementizer, since they usually take a noun object (weak);
# di- passives; verbs of saying proper, after which a clause follows even when it
# starts like a noun.
_CUES = speech.cues()
_SHORT = " ".join(sorted(_CUES.short))
_STRONG = " ".join(sorted(_CUES.clause))
_WEAK = " ".join(sorted(_CUES.either))
_WEAK_SET = _CUES.either
_SAY = _CUES.saying
# The passives without their ``di``, so that a capitalised one starts a match too.
_PASSIVE_STEMS = " ".join(sorted(form[2:] for form in _CUES.passive))

_PRONOUNS = _ws("dia ia beliau")
_GROUP_PRONOUNS = _ws("mereka kami kita saya aku")
_DEMONSTRATIVES = _ws("itu tersebut ini")
_NEG = _ws("tidak tak belum enggan bukan tanpa jangan")
_ADVERBS = _ws(
    "juga pun bahkan sempat sendiri lantas kemudian pula telah sudah tetap kembali justru "
    "hanya lalu akhirnya langsung pernah kerap sering secara turut ikut lagi masih "
    "sekaligus segera terus malah lebih dahulu dulu tegas"
)
_COMPLEMENTIZERS = _ws("bahwa agar supaya bila soal")
_SUBORDINATORS = _ws(
    "setelah saat ketika usai seusai sebelum dalam pada di sejak hingga sambil meski "
    "meskipun walau walaupun yang seperti sebagaimana terkait mengenai untuk dari"
)
_CONNECTIVES = _ws(
    "namun tetapi tapi sementara selain oleh karena itu untuk selanjutnya kemudian lalu "
    "adapun bahkan sebab meski kendati meskipun demikian di sisi lain samping belum lagi "
    "terlebih apalagi lebih lanjut sedangkan dan juga pun maka jadi nah akan pun begitu "
    "sebelumnya sekarang kini pula dengan"
)
# What a comma-closed segment may hold before a statement without being said:
# connectives and the ordinals that number a list of points (``Ketiga, ...``); an
# ordinal without its comma (``Pertama kali ...``) is part of the sentence.
_SEGMENT_OPENERS = _CONNECTIVES | _ws("pertama kedua ketiga keempat kelima terakhir")
# Prepositions that put a topic after a speech verb; a quote only when a clause follows.
_TOPIC = _ws("tentang mengenai soal perihal ihwal")
# Words of a short noun phrase that names a claim before ``bahwa``
# (``membantah adanya dugaan bahwa``, ``menepis kabar bahwa``).
_BAHWA_NP = _ws(
    "adanya dugaan kabar tudingan anggapan isu tuduhan rumor informasi klaim spekulasi "
    "asumsi persepsi sangkaan desas-desus berita narasi opini pendapat pandangan "
    "laporan pernyataan keras tegas itu tersebut yang menyebut menyebutkan beredar "
    "dengan secara"
)
# Words of a phrase that only sets the scene of the speech itself.
_SPEECH_SETTING = _ws(
    "ditemui dihubungi dikonfirmasi diwawancarai wawancara wartawan jurnalis awak "
    "pers konferensi keterangan keterangannya tertulis dikutip dilansir menjawab "
    "menanggapi ditanya telepon"
)
# Auxiliaries and copulas that mark a clause's predicate.
_AUX = _ws(
    "akan bakal bisa dapat sudah telah sedang masih belum tidak tak harus perlu mampu "
    "ingin mau jadi menjadi adalah merupakan ialah ada tengah pernah siap tetap wajib "
    "jangan segera agar supaya"
)
# Words shaped like verbs that are prepositions, adjectives or nouns.
_NOT_VERBS = _ws(
    "melalui menurut mengenai menuju menjelang terhadap tersebut termasuk terkait "
    "terutama terakhir terbaru terbesar terbanyak tertinggi terendah terdekat terpadu "
    "terpilih tertentu bersama berdasarkan beserta berbagai berikut berikutnya "
    "bersangkutan mendatang menengah digital dinas diskusi direktur direksi divisi "
    "pertama permata persen peran perdana periode personel"
)
_TEMPORAL = _ws("pada saat ketika usai seusai sebelum setelah dalam kepada melalui via")
_NP_OBJECT = _ws(
    "terima isi hal temuan temuannya pendapat pendapatnya apresiasi rasa duka keprihatinan "
    "permohonan maaf ucapan selamat kekecewaan kabar kronologi rencana alasan keinginan "
    "harapan pandangan pesan belasungkawa kekhawatiran kesiapan komitmen dukungan "
    "penolakan keberatan sikap pertanyaan bantuan izin waktu uang dana perlindungan "
    "pertolongan penjelasan klarifikasi keterangan restu doa agar hambatan kendala persoalan poin"
)
# Heads of noun phrases that name a document, an account or an anonymous source:
# such a source has no person behind it to resolve.
_NONPERSON = _ws(
    "hasil akun video postingan unggahan laporan riset data survei dokumen surat "
    "pernyataan keterangan sumber studi penelitian kajian catatan investigasi analisis "
    "rilis siaran narasi keputusan putusan temuan informasi kabar berita artikel situs "
    "laman media pesan unggahannya postingannya"
)
_DOC_NOUNS = _ws(
    "riset data laporan survei catatan penelitian kajian studi hasil investigasi analisis "
    "keterangan pernyataan rilis siaran pers lembaga pemantau situs laman akun resmi "
    "dari laman tertulis"
)
# Capitalised words that start a sentence without being a name: function words
# (spaCy's Indonesian stop words and what news adds to them), months and days, English
# function words, and the cues of links to other articles.
_FUNCTION_CAPS = (
    lexicons.function_words()
    | lexicons.words("months_days")
    | _ws("the a an of and in on for to by with at baca simak lihat sang si salah berdasarkan")
)
# Titles, honorifics, ranks and job words that stand before a name, with the
# words that continue a title (``Juru Bicara``, ``Kuasa Hukum``); titles of two words
# whose words may be names (``Jaksa Agung``, ``Yang Mulia``) are matched as phrases.
_TITLES = lexicons.words("person_titles") | lexicons.words("title_words")
_TITLE_PHRASES = lexicons.phrases("title_phrases")
_DEGREES = lexicons.words("academic_degrees")
_QUANTIFIERS = lexicons.words("quantifiers")
# Heads of organisation and place names: a run they open is not a person.
_ORG_HEADS = lexicons.words("org_heads") | lexicons.words("place_prefixes")
# Words written with a full stop that does not end a sentence (shared with the tokenizer).
_ABBREVIATIONS = lexicons.words("abbreviations") | lexicons.words("list_abbreviations")
# Directions and Indonesian region names: they end a name when walking back
# from it (``Dinas Pariwisata Jawa Tengah Anggini Setiawan``).
_PLACE_WORDS = lexicons.words("directions") | frozenset(
    word.lower()
    for lexicon in ("indonesian_places", "subdivisions_id")
    for name in lexicons.names(lexicon)
    for word in name.split()
)
_NAME_LINKS = _ws("dan & of and the for untuk de van der bin binti")
_WEEKDAY = r"(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu)"

_VERB_PREFIX = re.compile(r"(?:me|di|ber|ter|mem|men|meng|meny|per)[a-z]{3,}")


def _alt(words: str) -> str:
    """A regex alternation of the given words, longest first."""
    return "|".join(sorted(words.split(), key=len, reverse=True))


# --------------------------------------------------------------------------
# Compiled patterns
# --------------------------------------------------------------------------

_MARK = re.compile(r"&(?:ldquo|rdquo|quot|#822[01]|#34);|[\"“”„‟«»]")
_OPENERS = frozenset(["“", "&ldquo;", "&#8220;", "„", "«"])
_CLOSERS = frozenset(["”", "&rdquo;", "&#8221;", "‟", "»"])
_BARRIER = re.compile(r"\n[ \t\u00a0]*\n|\x00")
# Sentence ends in plain text; ``_SENT`` adds the ``\x00`` that masks boilerplate.
# (The alternatives start with different characters, so their order does not matter.)
# A scrape that lost the line break between paragraphs glues the next sentence to
# the full stop (``pekan lalu.Menurut``, ``naik 5 persen."Kami``): a terminator
# between a lower-case letter, digit or bracket and a capitalised word is a sentence
# end too (group ``glued``), unless it ends an abbreviation (``Jl.Sudirman``).
_SENT_TEXT = re.compile(
    r"([.!?]+)[\"”'’)]*(?:[ \t\u00a0]|&nbsp;)+(?=[\"“”'‘(\[]?[A-Z0-9])"
    r"|\n|[ \t][-–—]+[ \t]*(?=[A-Z])"
    r"|(?<=[a-z0-9)\]])(?P<glued>[.!?])(?=[\"“”]?[A-Z][a-z])"
)
_SENT = re.compile(_SENT_TEXT.pattern + r"|\x00")
# Where a ``_SENT_TEXT`` match can start: the first of a run of ``.!?``, a newline,
# or a space before a dash. Inside a run of ``.!?`` a match fails wherever it
# fails at the run's start, so trying there again would be quadratic in the run.
_SENT_HINT = re.compile(r"(?<![.!?])[.!?]|\n|[ \t](?=[-–—])")


def _hinted(pattern: re.Pattern[str], hint: re.Pattern[str], t: str):
    """The matches of ``pattern.finditer(t)``, tried only where ``hint`` matches.

    ``hint`` must match (one character) wherever a match of ``pattern`` can start;
    the lookbehinds of ``pattern`` still see the whole text.
    """
    end = 0
    match = pattern.match
    for h in hint.finditer(t):
        p = h.start()
        if p < end:
            continue
        m = match(t, p)
        if m is not None:
            yield m
            end = m.end()


_TOKEN = re.compile(r"[\w'’&@+-]+(?:\.[\w'’-]+)*\.?|[^\w\s]")
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z]{2})(?=[a-z]{3})")
_CAPRUN = re.compile(r"[A-Z][\w'’.&-]*(?:[ \t]+(?:[A-Z][\w'’.&-]*|dan|bin|binti|&))*")
_LOC_AFTER_DI = re.compile(
    r"\b(?:[Dd]i[ \t]+([A-Z][\w'-]*(?:[ \t]+[A-Z][\w'-]*)?)|(?:[Kk]ota|[Kk]abupaten|"
    r"[Pp]rovinsi|[Kk]ab\.)[ \t]+([A-Z][\w'-]*))"
)
# ``_LOC_AFTER_DI`` led by its first letter (a character-set prefix the regex engine
# scans for quickly); the lookbehinds stand for its ``\b`` and first letters. Same
# matches and groups (tests check the two agree).
_LOC_FAST = re.compile(
    r"[DdKkPp](?<![\w][DdKkPp])(?:(?<=[Dd])i[ \t]+([A-Z][\w'-]*(?:[ \t]+[A-Z][\w'-]*)?)|"
    r"(?:(?<=[Kk])ota|(?<=[Kk])abupaten|(?<=[Pp])rovinsi|(?<=[Kk])ab\.)[ \t]+([A-Z][\w'-]*))"
)
_NAME_WORD = re.compile(r"[A-Z](?:[a-zA-Z'’-]*[a-zA-Z])?\.?")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_KAN_VERB = re.compile(r"[A-Za-z]{4,}kan")

_POST_CUE = re.compile(
    r"[ \t\u00a0]*(?:,[ \t]*)?(?:(?P<dem>[Dd]emikian[ \t]*(?:catatan|kata|ujar|ungkap|tulis|"
    r"keterangan|pernyataan|penjelasan)(?:nya)?)|(?P<cue>(?:" + _alt(_SHORT) + r")(?:nya)?))"
    r"(?![\w])"
)
_POST_INVERTED = re.compile(
    r"[ \t\u00a0]*,?[ \t]*(?P<spk>[Dd]ia|[Ii]a|[Bb]eliau|(?:[A-Z][\w.'’-]*[ \t]+){0,3}"
    r"[A-Z][\w'’-]*)[ \t]+(?:(?:juga|pun|lalu|kemudian)[ \t]+)?(?P<cue>"
    + _alt(_STRONG + " " + _WEAK)
    + r")(?![\w])"
)
_PRE_CUE = re.compile(
    r"(?<![\w])(?P<cue>(?:" + _alt(_STRONG + " " + _WEAK + " menulis berkata bertanya") + r"|"
    r"(?:di|ber)(?:sertai|tuliskan|isi|keterangan))(?:[ \t]+(?:narasi|keterangan|tulisan|"
    r"pesan|caption))?)(?:[ \t]+(?:sebagai[ \t]+berikut|berikut(?:[ \t]+ini)?))?"
    r"[ \t]*[,:]?[ \t\n]*$"
)
_INDIRECT = re.compile(
    r"(?:(?<![\w])(?P<prep>[Mm]enurut(?:nya)?|[Mm]erujuk|[Dd]ilansir[ \t]*dari|"
    r"[Dd]ikutip[ \t]*dari|[Mm]engutip|[Mm]elansir|Kata(?=[ \t]+(?:dia|ia|beliau|[A-Z]))|"
    r"[Bb]erdasarkan[ \t]+(?=keterangan|pernyataan|data|"
    r"laporan|catatan|hasil))"
    r"|(?<![\w-])(?P<act>" + _alt(_STRONG + " " + _WEAK) + r"|memberi(?:kan)?[ \t]+(?:usulan|saran|"
    r"penjelasan|peringatan))(?![\w])"
    r"|(?<![\w])(?P<pas>[Dd]i(?:" + _alt(_PASSIVE_STEMS) + r"))(?![\w-])"
    r"|(?<![\w])(?P<spl>disebut|dinilai)(?![\w-])"
    r"|,[ \t]*(?P<inv>(?:" + _alt(_SHORT) + r")(?:nya)?|menurut(?:nya)?)(?![\w]))"
)
# Where an ``_INDIRECT`` match can start: a comma, or a word that begins with the
# first two letters of one of its cue words. Matching ``_INDIRECT`` only there finds
# the same matches as scanning every position, in a fraction of the time (tests check
# the two agree).
_INDIRECT_HINT = re.compile(
    r",|(?<![\w])(?:"
    + "|".join(
        sorted(
            {w[:2] for w in (_STRONG + " " + _WEAK).split()}
            | {"Me", "me", "Di", "di", "Be", "be", "Ka"}
        )
    )
    + ")"
)


_DATE_TAIL = re.compile(
    r"[ \t]*,[ \t]*(?:pada[ \t]+)?(?:hari[ \t]+)?" + _WEEKDAY + r"\b[^.\n]{0,40}$"
)


# --------------------------------------------------------------------------
# Small records
# --------------------------------------------------------------------------


class _Tok:
    """A word or punctuation token with its offsets and look-up form."""

    __slots__ = ("e", "low", "s", "w")

    def __init__(self, s: int, e: int, w: str) -> None:
        self.s = s
        self.e = e
        self.w = w
        self.low = _lookup_form(w)  # lower case, trailing full stop dropped


@lru_cache(maxsize=65536)
def _lookup_form(w: str) -> str:
    """A word lower-cased without its trailing full stop (cached: words recur)."""
    return w.rstrip(".").lower()


@lru_cache(maxsize=65536)
def _scan_form(w: str) -> tuple[str, bool]:
    """A ``_TOKEN`` match without a sentence's full stop, and whether a scraper glued it.

    It depends on the word only, so it is cached.
    """
    if (
        w.endswith(".")
        and len(w) > 2
        and "." not in w[:-1]
        and w[:-1].lower() not in _ABBREVIATIONS
    ):
        w = w[:-1]
    return w, len(w) > 3 and not w.islower() and not w.isupper() and bool(_GLUE.search(w))


@dataclass
class _Speaker:
    """A speaker mention and what sort of mention it is."""

    s: int
    e: int
    kind: str  # "name", "org", "pron", "np", "nya"


@dataclass
class _Quote:
    """A quote under construction."""

    kind: str
    cs: int
    ce: int
    cue: tuple[int, int] | None = None
    spk: _Speaker | None = None
    nya: bool = False
    name: str | None = None
    attr_end: int = 0
    scare: bool = False
    marks: tuple[int, int] | None = None


# --------------------------------------------------------------------------
# Article context
# --------------------------------------------------------------------------


_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_NULS = re.compile(r"\x00+")


class _Ctx:
    """Everything about one article that the rules look up more than once."""

    def __init__(self, text: str, boilerplate: Sequence[dict], entities: Sequence[dict]):
        self.text = text
        masked = text  # boilerplate masked with ``\x00`` (a few spans: slicing beats a list)
        any_masked = False
        for b in boilerplate:
            s, e = int(b["start"]), int(b["end"])
            if 0 <= s < e <= len(text):
                any_masked = True
                masked = masked[:s] + "\x00" * (e - s) + masked[e:]
        self.t = masked
        self.n = len(text)
        # Sentence boundaries: ends[i] closes the sentence that starts[i] follows.
        # Every masked character (``\x00``) is a one-character match of ``_SENT`` and
        # of ``_BARRIER``; runs of them are added in bulk, in order with the other
        # matches (which never hold a ``\x00``), giving the same lists as matching
        # the full patterns.
        ends: list[int] = []
        starts: list[int] = []
        nuls = [m.span() for m in _NULS.finditer(self.t)] if any_masked or "\x00" in text else []
        k, nn = 0, len(nuls)
        for m in _hinted(_SENT_TEXT, _SENT_HINT, self.t):
            p = m.start()
            while k < nn and nuls[k][0] < p:
                za, zb = nuls[k]
                ends.extend(range(za, zb))
                starts.extend(range(za + 1, zb + 1))
                k += 1
            if m.group(1) is not None:
                if self._abbrev(m.start(1)):
                    continue
                ends.append(m.start(1))
            else:
                if m.group("glued") is not None and self._abbrev(p):
                    continue
                ends.append(p)
            starts.append(m.end())
        for za, zb in nuls[k:]:
            ends.extend(range(za, zb))
            starts.extend(range(za + 1, zb + 1))
        self.ends = ends
        self.starts = starts
        barriers: list[int] = []
        k = 0
        for m in _BLANK_LINE.finditer(self.t):
            p = m.start()
            while k < nn and nuls[k][0] < p:
                barriers.extend(range(*nuls[k]))
                k += 1
            barriers.append(p)
        for za, zb in nuls[k:]:
            barriers.extend(range(za, zb))
        self.barriers = barriers
        ents = []
        for en in entities:
            try:
                s, e, lab = int(en["start"]), int(en["end"]), str(en["label"])
            except (KeyError, TypeError, ValueError):
                continue
            if 0 <= s < e <= self.n and lab in (PER, ORG):
                ents.append((s, e, lab))
        ents.sort()
        self.ents = ents
        self.ent_starts = [x[0] for x in ents]
        self.has_ents = bool(entities)
        self._people: People | None = None
        self._pdesc: list[set[str]] | None = None
        self._regions = [0, *self.starts, self.n]
        self._region_toks: dict[int, tuple[list[_Tok], list[int], list[int]]] = {}
        self._memo: dict[tuple[int, int], list[_Tok]] = {}
        self._locwords: set[str] | None = None
        self._lines: dict[int, bool] = {}
        self._orgs: Organisations | None = None
        self._abbreviations: Abbreviations | None = None

    @property
    def locwords(self) -> set[str]:
        """Capitalised words used as places here (after ``di``, ``Kota``, ...)."""
        if self._locwords is None:
            words = set(_PLACE_WORDS)
            for m in _LOC_FAST.finditer(self.t):
                words.update(w.lower() for w in (m.group(1) or m.group(2)).split())
            self._locwords = words
        return self._locwords

    def _abbrev(self, dot: int) -> bool:
        """Whether the full stop at ``dot`` ends an abbreviation, not a sentence."""
        j = dot
        while j > 0 and self.t[j - 1] in " \t":
            j -= 1
        i = j
        while i > 0 and (self.t[i - 1].isalnum() or self.t[i - 1] == "."):
            i -= 1
        word = self.t[i:j]
        if not word:
            return False
        if len(word) == 1 and word.isupper():
            return True
        return word.lower() in _ABBREVIATIONS or bool(_INITIALS.fullmatch(word))

    def sentence(self, pos: int) -> tuple[int, int]:
        """Start and end (terminator position) of the sentence holding ``pos``."""
        i = bisect_right(self.starts, pos)
        start = self.starts[i - 1] if i else 0
        end = self.ends[i] if i < len(self.ends) else self.n
        return start, end

    def sentence_of(self, s: int, e: int) -> int:
        """Where the name ``[s, e)`` starts within the sentence it ends in: a name
        never runs across a sentence end (a glued ``kemarin.Badan Pusat``)."""
        i = bisect_left(self.starts, e) - 1
        return self.starts[i] if i >= 0 and self.starts[i] > s else s

    def barrier_between(self, a: int, b: int) -> bool:
        """Whether a blank line or a boilerplate span lies in ``[a, b)``."""
        i = bisect_left(self.barriers, a)
        return i < len(self.barriers) and self.barriers[i] < b

    def _scan(self, a: int, b: int) -> list[_Tok]:
        """Tokenise ``t[a:b]``, splitting words glued by a scraper."""
        out: list[_Tok] = []
        for m in _TOKEN.finditer(self.t, a, b):
            w, glued = _scan_form(m.group())
            s = m.start()
            if glued:
                pos = 0
                for part in _GLUE.split(w):
                    if part:
                        out.append(_Tok(s + pos, s + pos + len(part), part))
                    pos += len(part)
            else:
                out.append(_Tok(s, s + len(w), w))
        return out

    def tokens(self, a: int, b: int) -> list[_Tok]:
        """Tokens of ``t[a:b]``; each sentence is tokenised once, when first needed."""
        a, b = max(a, 0), min(b, self.n)
        if a >= b:
            return []
        key = (a, b)
        hit = self._memo.get(key)
        if hit is not None:
            return list(hit)
        bounds = self._regions
        nb = len(bounds)
        k = bisect_right(bounds, a) - 1
        out: list[_Tok] = []
        region_toks = self._region_toks
        while k + 1 < nb and bounds[k] < b:
            cached = region_toks.get(k)
            if cached is None:
                scanned = self._scan(bounds[k], bounds[k + 1])
                cached = region_toks[k] = (
                    scanned,
                    [x.s for x in scanned],
                    [x.e for x in scanned],
                )
            toks, starts, ends = cached
            i0 = bisect_right(ends, a)  # first token ending after a
            i1 = bisect_left(starts, b)  # first token starting at or after b
            if i0 < i1:
                first, last = toks[i0], toks[i1 - 1]
                if first.s >= a and last.e <= b:
                    out.extend(toks[i0:i1])
                else:  # a token cut by the range (``Merujukinvestigasi``)
                    for i in range(i0, i1):
                        tok = toks[i]
                        if tok.s >= a and tok.e <= b:
                            out.append(tok)
                        else:
                            out.extend(self._scan(max(a, tok.s), min(b, tok.e)))
            k += 1
        self._memo[key] = out
        return list(out)

    def entity_in(self, a: int, b: int, label: str | None = None) -> list[tuple[int, int, str]]:
        """Entities lying wholly inside ``[a, b)``, optionally of one label."""
        i = bisect_left(self.ent_starts, a)
        out = []
        while i < len(self.ents) and self.ents[i][0] < b:
            _s, e, lab = self.ents[i]
            if e <= b and (label is None or lab == label):
                out.append(self.ents[i])
            i += 1
        return out

    def _headline(self, pos: int) -> bool:
        """Whether ``pos`` sits on a title-case line (a headline or subheading)."""
        a = self.t.rfind("\n", 0, pos) + 1
        if a in self._lines:
            return self._lines[a]
        self._lines[a] = self._headline_line(a)
        return self._lines[a]

    def _headline_line(self, a: int) -> bool:
        """Whether the line starting at ``a`` is in title case."""
        b = self.t.find("\n", a)
        b = self.n if b < 0 else b
        if b - a > 200:
            return False
        words = self.t[a:b].split()
        caps = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
        return len(words) >= 4 and caps >= 0.75 * len(words)

    def persons(self) -> list[tuple[int, int, str]]:
        """Person-name mentions ``(start, end, name)`` in the article, in order."""
        return self.people().mentions

    def people(self) -> People:
        """The article's person mentions, indexed to resolve short mentions."""
        if self._people is None:
            out: list[tuple[int, int, str]] = []
            if self.has_ents:
                for s, e, lab in self.ents:
                    if lab == PER:
                        name = _clean_name(self.text[s:e])
                        if name:
                            out.append((s, e, name))
            else:
                for m in _CAPRUN.finditer(self.t):
                    if self._headline(m.start()):
                        continue
                    toks = self.tokens(m.start(), m.end())
                    for run in _person_runs(self, toks):
                        out.append((run[0].s, run[-1].e, " ".join(x.w for x in run)))
            self._people = People(out)
        return self._people

    def role_words(self) -> list[set[str]]:
        """The last four words before each person mention, in its sentence (roles)."""
        if self._pdesc is None:
            out = []
            for s, _e, _name in self.persons():
                ss, _se = self.sentence(s)
                near = [x.low for x in self.tokens(max(ss, s - 80), s) if x.w not in "()"][-4:]
                out.append(set(near))
            self._pdesc = out
        return self._pdesc

    def organisations(self) -> Organisations:
        """The article's organisation names, to resolve short ones."""
        if self._orgs is None:
            self._orgs = Organisations([self.text[s:e] for s, e, lab in self.ents if lab == ORG])
        return self._orgs

    def abbreviations(self) -> Abbreviations:
        """The article's abbreviations defined in brackets after a name."""
        if self._abbreviations is None:
            self._abbreviations = Abbreviations(self.t, lambda pos: _name_before(self, pos))
        return self._abbreviations


# --------------------------------------------------------------------------
# Name helpers
# --------------------------------------------------------------------------


def _is_cap(tok: _Tok) -> bool:
    """Title-case or upper-case word (a possible part of a name)."""
    return tok.w[:1].isupper()


def _name_run(toks: Iterable[_Tok]) -> list[_Tok]:
    """The name words ``toks`` start with: capitalised words and the links between them.

    The run never stops on a link (``Badan Pusat dan`` gives ``Badan Pusat``). Given
    the tokens backwards, it is the name that ends where they start, last word first.
    """
    run: list[_Tok] = []
    for tok in toks:
        if _is_cap(tok) or (run and tok.low in _NAME_LINKS):
            run.append(tok)
        else:
            break
    while run and not _is_cap(run[-1]):
        run.pop()
    return run


def _is_acronym(tok: _Tok) -> bool:
    """An all-capitals word of two letters or more (KPK, ACLED, SAR)."""
    w = tok.w.rstrip(".")
    return len(w) >= 2 and w.isupper() and any(c.isalpha() for c in w)


def _is_degree(tok: _Tok) -> bool:
    """An academic degree written after a name (M.Hum., S.H., D.O., MBA)."""
    w = tok.w
    if "." in w.rstrip(".") and len(w) <= 8:
        return True
    return w.replace(".", "").lower() in _DEGREES and w[:1].isupper()


def _personish(ctx: _Ctx, tok: _Tok) -> bool:
    """A token that can be part of a person's name."""
    low = tok.low
    if not _is_cap(tok) or low in _TITLES or low in _FUNCTION_CAPS or low in _ORG_HEADS:
        return False
    if not _NAME_WORD.fullmatch(tok.w) or _KAN_VERB.fullmatch(tok.w):
        return False  # domains, degrees, ``Dikatakan``/``Promosikan`` at a sentence start
    if _is_acronym(tok) and len(tok.w.rstrip(".")) > 1:
        return False
    if low in ctx.locwords:
        return False
    return tok.w[0].isalpha()


def _person_runs(ctx: _Ctx, toks: list[_Tok]) -> list[list[_Tok]]:
    """Runs of name-like tokens; titles, acronyms and places cut them.

    Capitalised words right after an organisation head (invented: ``Kementerian Urusan Pesisir``)
    belong to the organisation's name, not to a person, until something cuts them.
    """
    runs: list[list[_Tok]] = []
    cur: list[_Tok] = []
    org = False
    for tok in toks:
        adjacent = not cur or ctx.t[cur[-1].e : tok.s].strip() == ""
        if tok.low in _ORG_HEADS:
            org = True
        elif _personish(ctx, tok):
            if not org:
                if not adjacent:
                    runs.append(cur)
                    cur = []
                cur.append(tok)
            continue
        else:
            org = False
        if cur:
            runs.append(cur)
        cur = []
    if cur:
        runs.append(cur)
    return [r for r in runs if r and not (len(r) == 1 and len(r[0].w) <= 1)]


def _clean_name(name: str) -> str:
    """A name with titles, honorifics and degrees taken off its ends."""
    words = name.split()
    while len(words) > 1:
        if len(words) > 2 and (words[0].lower(), words[1].lower()) in _TITLE_PHRASES:
            del words[:2]
        elif words[0].rstrip(".").lower() in _TITLES:
            words.pop(0)
        else:
            break
    while len(words) > 1 and (
        "." in words[-1].rstrip(".") or words[-1].replace(".", "").lower() in _DEGREES
    ):
        words.pop()
    return " ".join(words).strip(" ,.")


def _fullest(ctx: _Ctx, mention: str, pos: int) -> str:
    """The fullest form in the article of the person named ``mention``."""
    return ctx.people().fullest(_clean_name(mention), pos)


def _name_before(ctx: _Ctx, bracket: int) -> str | None:
    """The name written just before the bracket at ``bracket`` (an organisation entity,
    else a run of two or more capitalised words), from its sentence's start on."""
    a = max(0, bracket - 160)
    if ctx.has_ents:
        for s, e, lab in reversed(ctx.entity_in(a, bracket)):
            if lab == ORG and ctx.t[e:bracket].strip() == "":
                return ctx.text[ctx.sentence_of(s, e) : e]
    run = _name_run(reversed(ctx.tokens(a, bracket)))
    if len(run) < 2:
        return None
    run.reverse()
    return ctx.text[ctx.sentence_of(run[0].s, run[-1].e) : run[-1].e]


# --------------------------------------------------------------------------
# Speaker mentions
# --------------------------------------------------------------------------


def _strip_right(toks: list[_Tok], words: frozenset[str]) -> list[_Tok]:
    """``toks`` without trailing words from ``words``."""
    while toks and toks[-1].low in words:
        toks = toks[:-1]
    return toks


def _strip_connectives(toks: list[_Tok]) -> list[_Tok]:
    """``toks`` without leading discourse connectives (Namun, Di sisi lain, ...)."""
    i = 0
    while i < len(toks) and toks[i].low in _CONNECTIVES and i < 4:
        i += 1
    # Keep a capitalised subordinator-led phrase whole if stripping ate it all.
    return toks[i:] if i < len(toks) else []


def _np_kind(ctx: _Ctx, toks: list[_Tok]) -> _Speaker | None:
    """The speaker mention in a subject or attribution phrase ``toks``."""
    toks = [t for t in toks if t.w not in ("'", "’")]
    while toks and toks[-1].w in ",.;:":
        toks = toks[:-1]
    if not toks:
        return None
    last = toks[-1]
    if last.low in _PRONOUNS:
        return _Speaker(last.s, last.e, "pron")
    if last.low in _GROUP_PRONOUNS and len(toks) == 1:
        return _Speaker(last.s, last.e, "group")
    first = toks[0]
    lower_start = first.w[:1].islower()
    short = len(toks) <= 6 and not any(_VERB_PREFIX.fullmatch(x.low) for x in toks[1:])
    a, b = first.s, last.e
    if last.low in _DEMONSTRATIVES and len(toks) >= 2:
        return _Speaker(a, b, "np")
    # Degrees and closing brackets after the name stay out of it.
    j = len(toks)
    while j > 1 and (toks[j - 1].w == ")" or _is_degree(toks[j - 1])):
        j -= 1
    core = toks[:j]
    core_end = core[-1].e
    if ctx.has_ents:
        for s, e, lab in reversed(ctx.entity_in(a, core_end)):
            if ctx.t[e:core_end].strip(" \t)"):
                continue
            if lab == PER:
                return _Speaker(s, e, "name")
            if lower_start and short and first.low not in _DOC_NOUNS:
                return _Speaker(a, b, "np")
            return _Speaker(s, e, "org")  # also ``laporan dari <ORG>``: the ORG
    if first.low in _ORG_HEADS and all(_is_cap(x) or x.low in _NAME_LINKS for x in core):
        return _Speaker(core[0].s, core_end, "org")
    run: list[_Tok] = []
    for tok in reversed(core):
        if _personish(ctx, tok) and (not run or ctx.t[tok.e : run[-1].s].strip() == ""):
            run.append(tok)
        else:
            break
    run.reverse()
    prefix = core[: len(core) - len(run)]
    if len(run) >= 3 and prefix and prefix[-1].low in _ORG_HEADS:
        # ``PT Maju Jaya Hendra Gunawan``: the organisation keeps the first words.
        run = run[-2:]
    if run and (not lower_start or all(x.low in _TITLES or x.w == "." for x in prefix)):
        return _Speaker(run[0].s, run[-1].e, "name")
    if lower_start and first.low in _DOC_NOUNS and _is_cap(core[-1]):
        # ``laporan dari Harian Samudra menyebutkan`` (invented): the named source speaks.
        k = len(core)
        while k > 1 and (_is_cap(core[k - 2]) or core[k - 2].low in _NAME_LINKS):
            k -= 1
        if core[k - 1].low in _NAME_LINKS:
            k += 1
        return _Speaker(core[k - 1].s, core_end, "org")
    if lower_start:
        return _Speaker(a, b, "np") if short else None
    if _is_acronym(core[-1]):
        return _Speaker(core[-1].s, core_end, "org")
    if all(_is_cap(x) or x.low in _NAME_LINKS for x in core) and len(core) <= 6:
        return _Speaker(core[0].s, core_end, "org")
    return _Speaker(a, b, "np") if short else None


_STOP_AFTER = _ws(
    "di dalam saat pada ketika kepada yang dihubungi dikutip dilansir usai seusai selaku "
    "sebagai melalui via dengan sambil seraya seperti menjawab menanggapi kemarin tadi "
    "saat lewat ketika dari kala usai usainya ditemui menambahkan menegaskan"
)


def _np_after(
    ctx: _Ctx, pos: int, limit: int, doc: bool = False, wide: bool = False
) -> _Speaker | None:
    """The speaker mention that follows a cue at ``pos`` (``kata X``, ``Menurut X``)."""
    toks = ctx.tokens(pos, min(limit, pos + 220))
    if not toks:
        return None
    if toks[0].low in _PRONOUNS:
        return _Speaker(toks[0].s, toks[0].e, "pron")
    if doc and toks[0].w.islower() and toks[0].low in _DOC_NOUNS:
        i = 0
        while i < len(toks) and i < 5 and toks[i].w.islower() and toks[i].low in _DOC_NOUNS:
            i += 1
        run = _name_run(toks[i:])
        if run:
            kind = "name" if any(_personish(ctx, x) for x in run) else "org"
            if ctx.has_ents:
                ents = ctx.entity_in(run[0].s, run[-1].e)
                kind = "name" if ents and ents[0][2] == PER else "org"
            return _Speaker(run[0].s, run[-1].e, kind)
    k = 0
    while k < len(toks) - 1 and (toks[k].w == "." or toks[k].low in _ABBREVIATIONS):
        k += 1  # ``Prof . Dr.`` before a name in tokenised text
    toks = toks[k:]
    # A title of two words whose first is a function word (``Yang Mulia``) opens the stretch.
    lead = 2 if len(toks) > 2 and (toks[0].low, toks[1].low) in _TITLE_PHRASES else 0
    stretch: list[_Tok] = toks[:lead]
    for tok in toks[lead:]:
        if tok.w in ',.;:?!()"“”' or tok.w.startswith("&") or tok.low in _STOP_AFTER:
            break
        if tok.w.islower() and _VERB_PREFIX.fullmatch(tok.low) and tok.low not in _TITLES:
            break
        if (
            stretch
            and tok.w.islower()
            and _is_cap(stretch[-1])
            and not (tok.low in _NAME_LINKS or tok.low in _DEMONSTRATIVES)
        ):
            break  # a name ends where lower-case words resume
        stretch.append(tok)
        if tok.low in _DEMONSTRATIVES and len(stretch) > 1:
            break
    # Degrees and brackets after the name (", D.O.") stay out of the stretch.
    if not stretch:
        return None
    spk = _np_kind(ctx, stretch)
    tail = ctx.t[spk.e - 9 : spk.e].split() if spk is not None else []
    anaphoric = bool(tail) and tail[-1].lower() in _DEMONSTRATIVES
    if ctx.has_ents and wide and (spk is None or spk.kind == "np") and not anaphoric:
        # A long description may come between the cue and the name (``ucap dokter
        # spesialis di X, Nama``): the first person named in the attribution.
        for s, e, _lab in ctx.entity_in(pos, min(limit, pos + 220), PER):
            return _Speaker(s, e, "name")
    if wide and not ctx.has_ents and (spk is None or spk.kind == "np"):
        # ``ucap dokter spesialis di X, Nama Lengkap, dikutip ...``: the apposition.
        seg: list[_Tok] = []
        for tok in [*toks[len(stretch) :], _Tok(0, 0, ",")]:
            if tok.w != ",":
                seg.append(tok)
                continue
            core = [x for x in seg if not _is_degree(x)]
            if len(core) >= 2 and all(_personish(ctx, x) for x in core):
                return _Speaker(core[0].s, core[-1].e, "name")
            if seg and seg[0].w.islower() and _VERB_PREFIX.fullmatch(seg[0].low):
                break
            seg = []
    return spk


def _apposed_person(ctx: _Ctx, pos: int, limit: int) -> tuple[_Speaker, int] | None:
    """A person named between commas right after ``pos``, and where the second comma
    ends: ``Menurut Kepala Dinas Perikanan, Agus Salimin, ...`` (invented) names the
    office and then the person holding it, and the person is the source: a person
    in apposition is preferred to the office or organisation before it (rule 26)."""
    toks = ctx.tokens(pos, min(limit, pos + 120))
    if len(toks) < 3 or toks[0].w != ",":
        return None
    close = next((i for i in range(2, len(toks)) if toks[i].w == ","), None)
    if close is None:
        return None
    core = [x for x in toks[1:close] if not _is_degree(x)]
    if not core:
        return None
    s, e = core[0].s, core[-1].e
    if ctx.has_ents:
        persons = ctx.entity_in(s, e, PER)
        if len(persons) != 1 or persons[0][1] != e:
            return None
        s = persons[0][0]
    elif len(core) < 2 or not all(_personish(ctx, x) for x in core):
        return None
    return _Speaker(s, e, "name"), toks[close].e


def _subject(ctx: _Ctx, a: int, cue_s: int) -> _Speaker | bool | None:
    """The subject before a cue verb; False when the verb is negated."""
    toks = ctx.tokens(a, cue_s)
    toks = _strip_right(toks, _ADVERBS)
    if toks and toks[-1].low in _NEG:
        return False
    if toks and toks[-1].low == "yang":
        return None
    segs: list[list[_Tok]] = [[]]
    for tok in toks:
        if tok.w == ",":
            segs.append([])
        else:
            segs[-1].append(tok)
    hops = 0
    while segs and hops < 3:
        seg = _strip_right(segs.pop(), _ADVERBS)
        if not seg:
            hops += 1
            continue
        low0 = seg[0].low
        is_date = any(x.w.isdigit() for x in seg) and len(seg) <= 5
        if is_date or (low0 in _SUBORDINATORS and hops and segs):
            hops += 1
            continue
        for i, tok in enumerate(seg):
            if tok.low == "yang" and i:
                seg = seg[:i]
                break
        for i, tok in enumerate(seg):
            if i and tok.low in _TEMPORAL and _is_cap(seg[i - 1]):
                seg = seg[:i]
                break
        seg = _strip_connectives(seg)
        if len(seg) > 14:
            seg = seg[-8:]
        spk = _np_kind(ctx, seg)
        appositive = bool(seg) and (seg[0].w.islower() or seg[0].low.rstrip(".") in _TITLES)
        if spk is not None and spk.kind in ("np", "org") and appositive and segs:
            # ``Nama Lengkap, dosen kriminologi, menyebut`` and ``Nama Lengkap, Direktur
            # Badan X, menyebut``: the name, not the role in apposition.
            prev = _np_kind(ctx, _strip_connectives(segs[-1]))
            if prev is not None and prev.kind == "name":
                return prev
        return spk
    return None


# --------------------------------------------------------------------------
# Direct quotes
# --------------------------------------------------------------------------


def _role(t: str, s: int, e: int, mark: str) -> str:
    """Whether a quotation mark opens (O), closes (C) or may do either (?)."""
    n = len(t)
    p = t[s - 1] if s else "\n"
    q = t[e] if e < n else "\n"
    left_open = p.isspace() or p in "([{:\x00>—–-"
    right_open = not (q.isspace() or q in ",.;:!?)]}\x00")
    if mark in _OPENERS:
        return "C" if (not left_open and not right_open and p in ",.?!") else "O"
    if mark in _CLOSERS:
        return "O" if (left_open and right_open) else "C"
    if left_open and right_open:
        return "O"
    if not left_open and not right_open:
        return "C"
    if left_open:
        i = s - 1
        while i >= 0 and t[i] in " \t\u00a0":
            i -= 1
        j = e
        while j < n and t[j] in " \t\u00a0":
            j += 1
        pp = t[i] if i >= 0 else "\n"
        nn = t[j] if j < n else "\n"
        if pp in "\n\x00:":
            return "O"
        if nn in "\n\x00":
            return "C"
        return "?"
    if p in ".?!" and q.isupper() and mark == '"':
        # A straight mark glued between a sentence end and a capitalised word: a
        # scrape lost the break before a new paragraph's opening mark (or after a
        # closing one), so it opens when no quote is open and closes otherwise.
        return "?"
    return "C" if p in ",.?!" else "?"


def _trimmed(t: str, a: int, b: int) -> tuple[int, int]:
    """``[a, b)`` without surrounding whitespace (and literal ``&nbsp;``)."""
    while True:
        while a < b and t[a].isspace():
            a += 1
        while b > a and t[b - 1].isspace():
            b -= 1
        if t.startswith("&nbsp;", a) and a + 6 <= b:
            a += 6
        elif b - 6 >= a and t.startswith("&nbsp;", b - 6):
            b -= 6
        else:
            return a, b


def _pair_marks(ctx: _Ctx) -> list[_Quote]:
    """Pair quotation marks into direct-quote candidates, left to right."""
    t = ctx.t
    out: list[_Quote] = []
    opened: tuple[int, int] | None = None
    nested = 0
    last_close: tuple[int, int] | None = None

    def emit(o: tuple[int, int], c_s: int, c_e: int) -> None:
        a, b = _trimmed(ctx.text, o[1], c_s)
        if a < b:
            out.append(_Quote(DIRECT, a, b, marks=(o[0], c_e)))

    def emit_unclosed(o: tuple[int, int]) -> None:
        end = t.find("\n", o[1])
        end = ctx.n if end < 0 else end
        i = bisect_left(ctx.barriers, o[1])
        if i < len(ctx.barriers):
            end = min(end, ctx.barriers[i])
        a, b = _trimmed(ctx.text, o[1], end)
        if a < b:
            q = _Quote(DIRECT, a, b, marks=(o[0], b))
            q.scare = True  # no closing mark: keep only if attributed
            out.append(q)

    for m in _MARK.finditer(t):
        s, e = m.start(), m.end()
        role = _role(t, s, e, m.group())
        if opened is not None and ctx.barrier_between(opened[1], s):
            if last_close is not None:
                emit(opened, *last_close)
            else:
                emit_unclosed(opened)
            opened = None
        if opened is None:
            if role != "C":
                opened, nested, last_close = (s, e), 0, None
            continue
        if role == "O":
            if t.find("\n", opened[1], s) >= 0:
                if last_close is not None:
                    emit(opened, *last_close)
                else:
                    emit_unclosed(opened)
                opened, nested, last_close = (s, e), 0, None
            else:
                nested += 1
            continue
        if nested:
            nested -= 1
            last_close = (s, e)
            continue
        emit(opened, s, e)
        opened = None
    if opened is not None:
        if last_close is not None:
            emit(opened, *last_close)
        else:
            emit_unclosed(opened)
    return out


def _attribute_direct(ctx: _Ctx, quotes: list[_Quote]) -> None:
    """Find the cue and speaker of each direct quote, before or after its marks."""
    t = ctx.t
    prev: _Quote | None = None
    for q in quotes:
        assert q.marks is not None
        o_s, c_e = q.marks
        _s_start, s_end = ctx.sentence(c_e)
        nxt = _MARK.search(t, c_e, min(ctx.n, c_e + 240))
        limit = min(s_end if s_end > c_e else ctx.n, nxt.start() if nxt else ctx.n)
        nl = t.find("\n", c_e, limit)
        if nl >= 0:
            limit = nl
        m = _POST_CUE.match(t, c_e) if not q.scare else None
        if m:
            g = "dem" if m.group("dem") else "cue"
            cs, ce = m.span(g)
            q.cue = (cs, ce)
            q.attr_end = ce
            if t[cs:ce].endswith("nya") and t[cs:ce].lower() not in ("tanya",):
                q.nya = True
            else:
                spk = _np_after(ctx, ce, limit, wide=True)
                if spk:
                    q.spk = spk
                    q.attr_end = spk.e
        elif ctx.text[q.ce - 1] in ",?!" or t.startswith(",", c_e):
            # ``"...," Ali menjelaskan.``: a comma inside the marks links them.
            m = _POST_INVERTED.match(t, c_e) if not q.scare else None
            if m:
                sub = _np_kind(ctx, ctx.tokens(*m.span("spk")))
                if sub:
                    q.cue = m.span("cue")
                    q.spk = sub
                    q.attr_end = m.end()
        if q.cue is None:
            line = t.rfind("\n", 0, o_s)
            a = max(0, o_s - 160)
            if line >= 0 and t[line + 1 : o_s].strip() == "" and line > a:
                line = t.rfind("\n", 0, line)  # a colon line introducing the quote
            a = max(a, line + 1)
            if prev is not None and prev.marks is not None:
                a = max(a, prev.marks[1])
            m = _PRE_CUE.search(t, a, o_s)
            if m:
                cs, ce = m.span("cue")
                q.cue = (cs, ce)
                word = t[cs:ce]
                if not word.startswith("di"):
                    sa, _se = ctx.sentence(cs)
                    sub = _subject(ctx, max(a, sa), cs)
                    if sub:
                        q.spk = sub
        if q.cue is None and prev is not None and prev.cue is not None and prev.marks:
            gap = t[prev.attr_end if prev.attr_end else prev.marks[1] : o_s]
            if gap.strip() == "," or (
                prev.attr_end and gap.rstrip().endswith(",") and not re.search(r"[.!?\n]", gap)
            ):
                q.cue, q.spk, q.nya = prev.cue, prev.spk, prev.nya
                q.attr_end = prev.attr_end
        if q.cue is None and not q.scare:
            words = len(ctx.text[q.cs : q.ce].split())
            last = ctx.text[q.ce - 1]
            if words < 5 or (words < 10 and last not in ".,!?…"):
                q.scare = True
        elif q.cue is not None:
            q.scare = False
        prev = q


# --------------------------------------------------------------------------
# Indirect quotes
# --------------------------------------------------------------------------


def _clause_end(ctx: _Ctx, a: int, end: int) -> int:
    """End of reported content starting at ``a`` within a sentence ending at ``end``."""
    t = ctx.t
    b = end
    while b > a and t[b - 1] in ". \t\u00a0":
        b -= 1
    m = _DATE_TAIL.search(t, max(a, b - 60), b)
    if m and m.start() > a:
        b = m.start()
    a2, b2 = _trimmed(t, a, b)
    while b2 > a2 and t[b2 - 1] in ".,;: \t":
        b2 -= 1
    return b2


def _content_start(
    ctx: _Ctx, pos: int, end: int, weak: bool, clausal: bool = False, prep: bool = True
) -> int | None:
    """Where the reported clause after a cue starts, or None when none follows."""
    t = ctx.t
    i = pos
    punct = False
    while i < end and t[i] in " \t,:\u00a0":
        punct = punct or t[i] in ",:"
        i += 1
    toks = ctx.tokens(i, min(end, i + 80))
    if not toks:
        return None
    if toks[0].low in _TOPIC and not punct and len(toks) > 1:
        # ``menyebutkan tentang <NP>`` names a topic; ``mengungkap soal <NP> jadi
        # beban`` reports a clause, which starts after the preposition.
        if not _has_predicate(ctx.tokens(toks[1].s, min(end, i + 240))):
            return None
        return _skip_punct(t, toks[0].e, end)
    if toks[0].low in _COMPLEMENTIZERS and len(toks) > 1:
        return _skip_punct(t, toks[0].e, end)
    for k, tok in enumerate(toks[1:5], 1):
        # ``membantah adanya dugaan bahwa ...``: a short noun phrase naming the
        # claim, then the claim itself after ``bahwa``.
        if tok.low == "bahwa":
            if all(x.low in _BAHWA_NP for x in toks[:k]):
                return _skip_punct(t, tok.e, end)
            break
        if tok.w in ",;:":
            break
    if weak and not punct:
        return None
    if re.fullmatch(_WEEKDAY, toks[0].w) or (toks[0].low in _PRONOUNS and len(toks) == 1):
        return None
    if not punct and not clausal and _np_object(toks):
        return None
    if prep and toks[0].low in ("kepada", "dalam", "saat", "di", "pada", "melalui", "ketika"):
        if punct:
            # ``X mengatakan, dalam rapat itu, ...``: the comma after the cue opens
            # the report, leading adverbial included, unless ``, bahwa`` follows or
            # the phrase only tells how the words were got (``saat ditemui, ...``).
            for j, tok in enumerate(toks[1:-1], 1):
                if tok.w == ",":
                    if toks[j + 1].low == "bahwa":
                        return _skip_punct(t, toks[j + 1].e, end)
                    if any(x.low in _SPEECH_SETTING for x in toks[1:j]):
                        return _skip_punct(t, tok.e, end)
                    break
            return i
        for tok in toks[1:]:
            if tok.low == "bahwa" or tok.w == ",":
                j = tok.e
                while j < end and t[j] in " \t,":
                    j += 1
                return j
        return None
    return i


def _np_object(toks: list[_Tok]) -> bool:
    """Whether the words after a cue open a noun phrase that names what was said
    (``isi percakapan``), also when counted (invented: ``sejumlah hambatan``, ``tiga hal``)."""
    head = toks[0]
    if len(toks) > 1 and (head.low in _QUANTIFIERS or head.w.isdigit()):
        head = toks[1]
    return head.low in _NP_OBJECT


def _skip_punct(t: str, i: int, end: int) -> int | None:
    """The first position from ``i`` past spaces, commas and colons; None at ``end``."""
    while i < end and t[i] in " \t,:\u00a0":
        i += 1
    return i if i < end else None


def _has_predicate(toks: list[_Tok]) -> bool:
    """Whether a clause's words (up to its first comma) hold a predicate.

    A verb right after ``yang`` only modifies a noun (``dana yang dikeluarkan``);
    a preposition or adjective that looks like a verb (``melalui``, ``terbaru``) is
    no predicate either.
    """
    prev = ""
    relative = False  # inside ``yang <verb>``, which modifies a noun
    for tok in toks:
        if tok.w in ",;:()":
            return False
        low = tok.low
        verb = low in _AUX or (
            prev not in ("para", "untuk")
            and _VERB_PREFIX.fullmatch(low) is not None
            and low not in _NOT_VERBS
            and not (low.startswith("per") and low.endswith("an"))
        )
        if low == "yang":
            relative = True
        elif verb and not relative:
            return True
        elif not verb:
            relative = False
        prev = low
    return False


def _cut_at_mark(ctx: _Ctx, a: int, b: int, directs: list[_Quote]) -> tuple[int, bool]:
    """Shorten content ``[a, b)`` before a real direct quote; tell if it holds a scare quote."""
    mixed = False
    for d in directs:
        assert d.marks is not None
        if d.marks[0] >= b:
            break
        if d.marks[0] >= a:
            if d.scare and d.marks[1] <= b:
                mixed = True
            elif not d.scare:
                j = d.marks[0]
                while j > a and ctx.t[j - 1] in " \t,:":
                    j -= 1
                return j, mixed
    return b, mixed


def _indirect(ctx: _Ctx, directs: list[_Quote]) -> list[_Quote]:
    """Indirect quotes: ``X mengatakan ...``, ``Menurut X, ...``, ``..., kata X, ...``."""
    t = ctx.t
    taken: list[tuple[int, int]] = []
    for d in directs:
        if not d.scare and d.marks:
            taken.append((d.marks[0], max(d.marks[1], d.attr_end)))
    taken.sort()
    starts = [x[0] for x in taken]
    out: list[_Quote] = []

    def inside(pos: int) -> bool:
        i = bisect_right(starts, pos) - 1
        if i >= 0 and taken[i][0] <= pos < taken[i][1]:
            return True
        return any(q.cs <= pos < q.ce for q in out[-3:])

    def add(
        kind: str,
        a: int,
        b: int,
        cue: tuple[int, int],
        spk: _Speaker | None,
        nya: bool = False,
        piece: bool = False,
    ) -> _Quote | None:
        a, b = _trimmed(ctx.text, a, b)
        if b - a < 3 or len(t[a:b].split()) < (1 if piece else 2) or "\x00" in t[a:b]:
            return None
        b2, mixed = _cut_at_mark(ctx, a, b, directs)
        a, b = _trimmed(ctx.text, a, b2)
        if b - a < 3:
            return None
        q = _Quote(MIXED if mixed else kind, a, b, cue=cue, spk=spk, nya=nya)
        q.attr_end = max(b, cue[1], spk.e if spk else 0)
        out.append(q)
        return q

    for m in _hinted(_INDIRECT, _INDIRECT_HINT, t):
        grp = m.lastgroup
        cs, ce = m.span(grp)
        if inside(cs):
            continue
        ss, se = ctx.sentence(cs)
        word = t[cs:ce]
        if grp == "prep":
            before = _strip_connectives(ctx.tokens(ss, cs))
            if before and before[-1].w != ",":
                if word.lower() == "menurutnya":
                    _inserted_bare(ctx, before, se, cs, ce, add)
                continue
            if before and not word.lower().startswith("menurut"):
                continue  # ``dikutip dari X`` after a quote only credits the outlet
            nya = word.lower().endswith("nya")
            if before and before[-1].w == ",":
                # ``clause, menurut X.`` handled as an inverted attribution below.
                _inverted(ctx, t, ss, se, cs, ce, nya, add)
                continue
            spk = None if nya else _np_after(ctx, ce, se, doc=True)
            if not nya and spk is None:
                continue
            after = spk.e if spk else ce
            if spk is not None and spk.kind != "name":
                apposed = _apposed_person(ctx, spk.e, se)
                if apposed is not None:
                    spk, after = apposed
            rest = ctx.tokens(after, min(se, after + 200))
            if rest and rest[0].low in ("(", "yang"):
                comma = next((x for x in rest if x.w == ","), None)
                if comma is None:
                    continue
                after = comma.e
            c0 = _content_start(ctx, after, se, weak=False, prep=False)
            if c0 is None:
                continue
            add(INDIRECT, c0, _clause_end(ctx, c0, se), (cs, ce), spk, nya)
        elif grp == "inv":
            nya = word.lower().endswith("nya")
            _inverted(ctx, t, ss, se, cs, ce, nya, add)
        elif grp == "spl":
            spk = _np_after(ctx, ce, se)
            if spk is None or spk.kind not in ("name", "pron"):
                if _in_attributed_run(ctx, ss, se, directs, out[-4:]):
                    _agentless(ctx, ss, se, cs, ce, add)
                continue
            nxt = ctx.tokens(spk.e, min(se, spk.e + 40))
            if (
                not nxt
                or not nxt[0].w.islower()
                or nxt[0].low in _SUBORDINATORS | {"sebagai", "oleh", "dengan", "bahwa"}
            ):
                continue
            first = _strip_connectives(_after_connective_segments(ctx, ss, cs))
            c2 = nxt[0].s
            if first:
                add(INDIRECT, first[0].s, first[-1].e, (cs, ce), spk, piece=True)
            add(INDIRECT, c2, _clause_end(ctx, c2, se), (cs, ce), spk)
        elif grp == "pas":
            rest = ctx.tokens(ce, min(se, ce + 200))
            if rest and rest[0].low == "oleh":
                j = 1
                while j < len(rest) and (_is_cap(rest[j]) or rest[j].low in _NAME_LINKS):
                    j += 1
                if j == 1:
                    continue
                spk = _Speaker(rest[1].s, rest[j - 1].e, "org")
                bahwa = next((x for x in rest[j:] if x.low == "bahwa"), None)
                if bahwa is not None:
                    c0 = _content_start(ctx, bahwa.e, se, weak=False)
                elif (
                    j < len(rest)
                    and rest[j].w == ","
                    and not _strip_connectives(ctx.tokens(ss, cs))
                ):
                    # ``Dilaporkan oleh X, <clause>``: a citation cue opening the sentence.
                    c0 = _content_start(ctx, rest[j].e, se, weak=False)
                else:
                    continue
                if c0 is not None:
                    add(INDIRECT, c0, _clause_end(ctx, c0, se), (cs, ce), spk)
            else:
                before = _strip_connectives(ctx.tokens(ss, cs))
                if before and before[-1].w == "," and _inserted_passive(ctx, ss, se, cs, ce, add):
                    continue
                if before:
                    if _in_attributed_run(ctx, ss, se, directs, out[-4:]):
                        _agentless(ctx, ss, se, cs, ce, add)
                    continue
                spk = _np_after(ctx, ce, se)
                if spk is None:
                    continue
                comma = next((x for x in ctx.tokens(spk.e, se) if x.w == ","), None)
                if comma is None:
                    continue
                c0 = _content_start(ctx, comma.e, se, weak=False)
                if c0 is not None:
                    add(INDIRECT, c0, _clause_end(ctx, c0, se), (cs, ce), spk)
        else:  # active verb after its subject
            lw = word.lower()
            weak = lw.split()[0] in _WEAK_SET or lw.startswith("memberi")
            a = ss
            for d in directs:
                if d.marks and not d.scare and d.marks[1] <= cs and d.marks[1] > a:
                    a = max(d.marks[1], d.attr_end)
            sub = _subject(ctx, a, cs)
            cue = (cs, ce)
            if sub is False:
                # Scheme rule 38: a negated speech verb that still reports what was said
                # (``tidak membantah bahwa ...``) is a cue with its negation; one that
                # reports silence (``tidak menyebutkan jumlahnya``) is not.
                before = _strip_right(ctx.tokens(a, cs), _ADVERBS)
                after = ctx.tokens(ce, min(se, ce + 40))
                if not before or not after or after[0].low != "bahwa":
                    continue
                sub = _subject(ctx, a, before[-1].s)
                cue = (before[-1].s, ce)
            if not sub:
                continue
            if lw in ("bilang", "sebut") and sub.kind not in ("name", "pron", "np"):
                continue
            c0 = _content_start(ctx, ce, se, weak, clausal=lw in _SAY)
            if c0 is None:
                continue
            if t[c0 : c0 + 1] in '"“”' or t.startswith("&ldquo;", c0):
                continue
            add(INDIRECT, c0, _clause_end(ctx, c0, se), cue, sub)
    return out


def _inserted_bare(ctx: _Ctx, before: list[_Tok], se: int, cs: int, ce: int, add) -> None:
    """``A menurutnya B``: the cue inserted without commas splits the statement into
    two quotes, as between commas (scheme rule 23); speaker null (its ``-nya``)."""
    after = ctx.tokens(ce, min(se, ce + 40))
    if before[-1].low == "yang" or not after or not after[0].w[:1].islower():
        return  # ``rapat yang menurutnya penting``: a view inside a relative clause
    if after[0].low in _SUBORDINATORS:
        return
    add(INDIRECT, before[0].s, before[-1].e, (cs, ce), None, True, piece=True)
    add(INDIRECT, after[0].s, _clause_end(ctx, after[0].s, se), (cs, ce), None, True)


def _inserted_passive(ctx: _Ctx, ss: int, se: int, cs: int, ce: int, add) -> bool:
    """``<clause>, diungkapkan X, <clause>``: a passive cue with its agent inserted
    between commas splits the statement into two quotes with that speaker (scheme
    rules 23 and 25). False when the cue is not so inserted."""
    spk = _np_after(ctx, ce, se)
    if spk is None or spk.kind not in ("name", "pron", "org"):
        return False
    after = ctx.tokens(spk.e, min(se, spk.e + 40))
    if not after or after[0].w != ",":
        return False
    first = _strip_connectives(_after_connective_segments(ctx, ss, cs))
    while first and first[-1].w == ",":
        first = first[:-1]
    c2 = _content_start(ctx, after[0].e, se, weak=False)
    if not first or c2 is None:
        return False
    add(INDIRECT, first[0].s, first[-1].e, (cs, ce), spk, piece=True)
    add(INDIRECT, c2, _clause_end(ctx, c2, se), (cs, ce), spk)
    return True


def _in_attributed_run(
    ctx: _Ctx, ss: int, se: int, directs: Sequence[_Quote], recent: Sequence[_Quote]
) -> bool:
    """Whether the sentence ``[ss, se)`` stands in a run of attributed statements: a
    quote with a cue or speaker lies in the sentence before it or the one after it
    (scheme rule 34; after the outlet's own narration an agentless passive is no quote).
    ``directs`` are sorted by start; ``recent`` are the last indirect quotes found."""
    before = ctx.sentence(ss - 1)[0] if ss > 0 else ss
    after = ctx.sentence(se + 1)[1] if se + 1 < ctx.n else se

    def attributed(q: _Quote) -> bool:
        near = (before <= q.cs < ss) or (se < q.cs < after)
        return near and (q.cue is not None or q.spk is not None) and not q.scare

    i = bisect_left(directs, before, key=lambda q: q.cs)
    while i < len(directs) and directs[i].cs < after:
        if attributed(directs[i]):
            return True
        i += 1
    return any(attributed(q) for q in recent)


def _agentless(ctx: _Ctx, ss: int, se: int, cs: int, ce: int, add) -> None:
    """An agentless passive cue (``Harga pupuk pun dinilai terlalu mahal``): the
    subject and what follows the cue, two quotes of the source speaking around it."""
    if cs - ss > 300:
        return  # no short subject before the cue (and a sentence may run on and on)
    rest = ctx.tokens(ce, min(se, ce + 300))
    if not rest or not rest[0].w.islower() or rest[0].low == "bahwa":
        return
    if any(x.low == "oleh" for x in rest):
        return  # the agent is named after all (``dijelaskan kemarin oleh X``)
    first = _strip_right(_strip_connectives(_after_connective_segments(ctx, ss, cs)), _ADVERBS)
    if not first or any(x.w in ',"“”' for x in first):
        return
    add(INDIRECT, first[0].s, first[-1].e, (cs, ce), None, nya=True, piece=True)
    add(INDIRECT, rest[0].s, _clause_end(ctx, rest[0].s, se), (cs, ce), None, nya=True)


def _after_connective_segments(ctx: _Ctx, a: int, b: int) -> list[_Tok]:
    """Tokens of ``[a, b)`` after leading comma segments that are only connectives."""
    toks = ctx.tokens(a, b)
    while True:
        comma = next((i for i, x in enumerate(toks) if x.w == ","), None)
        if comma is None:
            return toks
        head = toks[:comma]
        if head and all(x.low in _SEGMENT_OPENERS for x in head):
            toks = toks[comma + 1 :]
        else:
            return toks


def _inverted(ctx: _Ctx, t: str, ss: int, se: int, cs: int, ce: int, nya: bool, add) -> None:
    """``clause, kata X, clause.``: one or two quotes sharing the inserted cue."""
    spk = None
    after = ce
    if not nya:
        spk = _np_after(ctx, ce, se, doc=True)
        if spk is None:
            return
        after = spk.e
    rest = ctx.tokens(after, se)
    depth = 0
    comma = None
    for tok in rest:
        if tok.w == "(":
            depth += 1
        elif tok.w == ")":
            depth -= 1
        elif tok.w == "," and depth <= 0:
            comma = tok
            break
    comma_before = t.rfind(",", ss, cs + 1)
    first = _after_connective_segments(ctx, ss, comma_before)
    first = _strip_connectives(first) if first and first[0].low in _CONNECTIVES else first
    if first and all(x.low in _SEGMENT_OPENERS or x.w == "," for x in first):
        first = []
    if first:
        add(INDIRECT, first[0].s, first[-1].e, (cs, ce), spk, nya, piece=True)
    if comma is not None:
        c0 = _content_start(ctx, comma.s, se, weak=False)
        if c0 is not None:
            add(INDIRECT, c0, _clause_end(ctx, c0, se), (cs, ce), spk, nya)


# --------------------------------------------------------------------------
# Headlines
# --------------------------------------------------------------------------

# Title-case speech verbs of headlines (invented: ``Pabrik Bantah Akan ...``). Verbs of
# saying take any clause; the others often take a noun (``Polisi Ungkap Kasus``),
# so they make a quote only when a predicate follows them.
_HEAD_SAY = "Sebut Klaim Tegaskan Katakan Nyatakan Akui Ngaku Mengaku Bilang Tuding Yakin"
_HEAD_OTHER = (
    "Bantah Ungkap Janji Janjikan Minta Harap Berharap Ingatkan Imbau Desak Tepis "
    "Sangkal Pastikan Jelaskan Beberkan Usul Usulkan Nilai"
)
_HEAD_CUE = re.compile(r"(?<![\w-])(?:" + _alt(_HEAD_SAY + " " + _HEAD_OTHER) + r")(?![\w-])")
_HEAD_SAY_SET = frozenset(_HEAD_SAY.split())
_HOWTO = _ws("cara tips trik kiat langkah upaya strategi resep panduan begini ini")
_HEAD_END = re.compile(r"[ \t]+[-–—|][ \t]|[ \t]*\|")


def _headline_quotes(ctx: _Ctx) -> list[_Quote]:
    """Indirect quotes in title-case lines: ``<Name> Bantah <clause>``."""
    t = ctx.t
    out: list[_Quote] = []
    a = 0
    while a < ctx.n:
        nl = t.find("\n", a)
        line_end = ctx.n if nl < 0 else nl
        line_a, a = a, line_end + 1
        if line_end - line_a > 200 or "\x00" in t[line_a:line_end]:
            continue
        if not ctx._headline(line_a):
            continue
        for m in _HEAD_CUE.finditer(t, line_a, line_end):
            q = _headline_quote(ctx, m, line_a, line_end)
            if q is not None:
                out.append(q)
    return out


def _headline_quote(ctx: _Ctx, m: re.Match[str], a: int, b: int) -> _Quote | None:
    """The quote a headline cue ``m`` makes in the line ``[a, b)``, if any."""
    t = ctx.t
    cs, ce = m.span()
    cut = _HEAD_END.search(t, ce, b)
    if cut:
        b = cut.start()
    spk = _head_speaker(ctx, a, cs)
    if spk is None:
        return None
    c0 = _skip_punct(t, ce, b)
    if c0 is None:
        return None
    c1 = _clause_end(ctx, c0, b)
    toks = ctx.tokens(c0, c1)
    if len(toks) < 2 or toks[0].low in _NP_OBJECT or toks[0].low == "maaf":
        return None
    if (
        m.group() not in _HEAD_SAY_SET
        and not _has_predicate(toks)
        and not any(_KAN_VERB.fullmatch(x.w) for x in toks)
    ):
        return None
    q = _Quote(INDIRECT, c0, c1, cue=(cs, ce), spk=spk)
    q.attr_end = c1
    return q


def _head_speaker(ctx: _Ctx, a: int, cs: int) -> _Speaker | None:
    """The name written right before a headline cue, inside its comma segment."""
    seg = max(a, ctx.t.rfind(",", a, cs) + 1)
    if ctx.has_ents:
        ents = ctx.entity_in(seg, cs)
        if ents and ctx.t[ents[-1][1] : cs].strip() == "":
            s, e, lab = ents[-1]
            return _Speaker(s, e, "name" if lab == PER else "org")
        if ents:
            return None
    # No tagged name: a short capitalised run (a headline's words are all capitalised,
    # so the run is kept to three words and stops at a verb or a function word).
    toks = ctx.tokens(seg, cs)
    run: list[_Tok] = []
    stop: _Tok | None = None
    for tok in reversed(toks[-3:]):
        if not _is_cap(tok) or tok.low in _FUNCTION_CAPS or _VERB_PREFIX.fullmatch(tok.low):
            stop = tok
            break
        run.append(tok)
    if not run or run[0].e != toks[-1].e or run[-1].low in _HOWTO or (stop and stop.low in _HOWTO):
        return None  # ``Cara Mudah Pastikan ...`` is advice, not a source
    # One plain word (``Pedagang``) is a role; ``TikTok``, ``KPK``, ``Bank Nusa`` are names.
    plain = len(run) == 1 and run[0].w[1:].islower()
    kind = "np" if run[-1].low in _TITLES or plain else "org"
    return _Speaker(run[-1].s, run[0].e, kind)


# --------------------------------------------------------------------------
# Speaker names
# --------------------------------------------------------------------------


def _resolve(ctx: _Ctx, quotes: list[_Quote]) -> None:
    """Fill ``speaker_name`` in reading order, carrying who is speaking."""
    current_person: str | None = None
    current_any: str | None = None
    current_org: str | None = None
    prev_end = 0
    contents = sorted((q.cs, q.ce) for q in quotes)
    c_starts = [c[0] for c in contents]

    def in_content(pos: int) -> bool:
        i = bisect_right(c_starts, pos) - 1
        return i >= 0 and contents[i][0] <= pos < contents[i][1]

    def recent_person(a: int, b: int) -> str | None:
        """The one person introduced by full name since the last quote, if just one."""
        found: set[str] = set()
        for s, _e, name in reversed(ctx.persons()):
            if s >= b:
                continue
            if s < a:
                break
            if len(name.split()) >= 2 and not in_content(s):
                found.add(_fullest(ctx, name, s))
        return found.pop() if len(found) == 1 else None

    def anaphor(pos: int) -> str | None:
        return recent_person(prev_end, pos) or current_person or current_any

    for q in quotes:
        pos = min(q.cs, q.cue[0] if q.cue else q.cs, q.spk.s if q.spk else q.cs)
        name: str | None = None
        person = False
        spk = q.spk
        if spk is None:
            if q.nya or q.cue is None:
                # ``ujarnya`` and unattributed quotes continue the current speaker.
                name = current_person or current_any or recent_person(0, pos)
                person = name == current_person
            elif q.cue is not None and ctx.t[q.cue[0] : q.cue[1]].startswith("di"):
                name = None
        elif spk.kind == "pron":
            name = anaphor(pos)
            person = True
        elif spk.kind in ("group",):
            name = None
        elif spk.kind == "np":
            words = ctx.t[spk.s : spk.e].split()
            head = words[0].lower()
            if head in _NONPERSON or (len(words) > 1 and words[1].lower() in _NONPERSON):
                # ``Laporan tersebut`` takes up the written source last quoted.
                anaphoric = words[-1].lower() in _DEMONSTRATIVES and head in _DOC_NOUNS
                name = None
                if anaphoric and head not in ("akun", "situs"):
                    name = _doc_source(ctx, head, spk.s) or current_org
            elif words[-1].lower() in _DEMONSTRATIVES:
                name = anaphor(pos)
                person = True
            else:
                name = _role_name(ctx, words, pos)
                person = name is not None
        elif spk.kind == "org":
            mention = ctx.text[spk.s : spk.e]
            is_per = False
            if ctx.has_ents:
                is_per = any(lab == PER for _s, _e, lab in ctx.entity_in(spk.s, spk.e))
            if is_per:
                name = _fullest(ctx, mention, spk.s)
                person = True
            elif role := _titled_person(ctx, spk, pos):
                name, person = role, True
            else:
                name = ctx.abbreviations().expand(mention.strip())
                name = name or ctx.organisations().fullest(mention)
        else:
            mention = ctx.text[spk.s : spk.e]
            if role := _titled_person(ctx, spk, pos):
                name, person = role, True
            elif ctx.has_ents and any(lab == ORG for _s, _e, lab in ctx.entity_in(spk.s, spk.e)):
                name = ctx.abbreviations().expand(mention.strip()) or mention
            else:
                name = _fullest(ctx, mention, spk.s)
                person = True
        q.name = " ".join(name.split()) if name else None
        if q.name:
            current_any = q.name
            if person:
                current_person = q.name
            elif spk is not None and spk.kind == "org":
                current_org = q.name
        prev_end = max(prev_end, q.attr_end, q.ce)


def _doc_source(ctx: _Ctx, head: str, pos: int) -> str | None:
    """The named source of the last ``<head> (dari) <Name>`` before ``pos``.

    ``Laporan tersebut`` takes up ``laporan dari Harian Samudra`` (invented) even when that
    earlier mention made no quote of its own.
    """
    a = max(0, pos - 2000)
    pat = re.compile(
        r"(?<![\w])" + re.escape(head) + r"[ \t]+(?:(?:dari|milik|oleh|yang[ \t]+dirilis)[ \t]+)?"
        r"(?=[A-Z])",
        re.IGNORECASE,
    )
    found = None
    for m in pat.finditer(ctx.t, a, pos):
        e = m.end()
        if ctx.has_ents:
            ents = ctx.entity_in(e, min(pos, e + 120))
            if ents and ents[0][0] == e and ents[0][2] == ORG:
                found = ctx.text[e : ents[0][1]]
            continue
        run = _CAPRUN.match(ctx.t, e)
        if run and run.end() <= pos:
            found = run.group().strip()
    return found


def _titled_person(ctx: _Ctx, spk: _Speaker, pos: int) -> str | None:
    """The person a title-only mention stands for (``Presiden``, ``Kapolres Kota Bogor``
    with no name in it): the one the article names after that title, nearest before.

    Only with entities, which tell a title-only mention from a name that follows
    a title (``Presiden Rina``)."""
    if not ctx.has_ents:
        return None
    words = ctx.text[spk.s : spk.e].split()
    if not words or words[0].lower().strip(".,") not in _TITLES:
        return None
    if any(lab == PER for _s, _e, lab in ctx.entity_in(spk.s, spk.e)):
        return None
    return _role_name(ctx, words, pos)


def _role_name(ctx: _Ctx, words: list[str], pos: int) -> str | None:
    """Resolve a role phrase (``hakim``, ``ahli ITB``) to the person so described."""
    keys = {w.strip("().,").lower() for w in words} - _FUNCTION_CAPS - {""}
    return ctx.people().described(keys, ctx.role_words(), pos)


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def _span(text: str, a: int, b: int) -> Span:
    """A span dict, trimmed of surrounding whitespace."""
    a, b = _trimmed(text, a, b)
    return {"start": a, "end": b, "text": text[a:b]}


def annotate(
    text: str, boilerplate: Sequence[dict] = (), entities: Sequence[dict] = ()
) -> list[dict]:
    """Quotes of ``text`` sorted by content start (docs/GUIDELINES.md, section 4)."""
    if not text or not text.strip():
        return []
    ctx = _Ctx(text, boilerplate, entities)
    directs = _pair_marks(ctx)
    _attribute_direct(ctx, directs)
    indirect = _indirect(ctx, directs) + _headline_quotes(ctx)
    quotes = [q for q in directs if not q.scare] + indirect
    quotes.sort(key=lambda q: (q.cs, q.ce))
    kept: list[_Quote] = []
    for q in quotes:
        if "\x00" in ctx.t[q.cs : q.ce]:
            continue
        if kept and q.cs < kept[-1].ce:
            continue
        kept.append(q)
    _resolve(ctx, kept)
    out = []
    for q in kept:
        cue = _span(text, *q.cue) if q.cue else None
        spk = _span(text, q.spk.s, q.spk.e) if q.spk else None
        if cue is not None and not cue["text"]:
            cue = None
        if spk is not None and not spk["text"]:
            spk = None
        found = {
            QUOTE.kind: q.kind,
            QUOTE.content: _span(text, q.cs, q.ce),
            QUOTE.cue: cue,
            QUOTE.speaker: spk,
            QUOTE.speaker_name: q.name,
        }
        out.append({key: found[key] for key in QUOTE})  # in the schema's order
    return out
