"""jieba's data, prebuilt for the browser and loaded as texts need it. No jieba import here: the emission
table must be in place before jieba is imported (``fanzha.speedups`` installs both, once).

jieba's prefix dictionary comes prebuilt (``build_prefix_dict`` at build time) and loads one first
character at a time (``install_prefix_dict``). ``jieba.initialize()`` would parse dict.txt (5 MB) into
about 500,000 words and prefixes on every page load, a second or more on a phone. Yet every lookup jieba
makes while it segments a sentence is a slice of that sentence starting at some position (get_DAG, calc,
and the HMM fallback's ``buf`` all are), so it only asks for words that start with a character of the
sentence. Loading those words just before jieba first sees the character gives the same segmentation,
and a short chat needs a small part of the dictionary.

jieba's HMM for unknown words (finalseg) is loaded the same way: its emission table (prob_emit, a 1.2 MB
module of 35,000 numbers, a fifth of the engine's import) only for the characters it is asked about
(``build_emission`` / ``install_lazy_emission``).
"""

from __future__ import annotations

import bisect
import marshal
import os
import struct
import sys
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any

PREFIX_DICT_FORMAT = 3  # bump when the layout of build_prefix_dict changes

PREFIX_DICT_FILE = "dict.prebuilt"  # beside jieba's modules, in the browser build only

EMISSION_FORMAT = 1  # bump when the layout of build_emission changes

EMISSION_FILE = "hmm_emission.bin"  # beside this module, in the browser build only (read before jieba loads)

EMISSION_MODULE = "jieba.finalseg.prob_emit"


def build_emission(table: Mapping[str, Mapping[str, float]]) -> bytes:
    """jieba's HMM emission table (finalseg.prob_emit.P: state -> character -> log probability) ->
    marshalled (format, {state: (its characters sorted, as one string; their numbers, float64 in order)})."""
    states = {}
    for state, probs in table.items():
        chars = sorted(probs)
        states[state] = ("".join(chars), struct.pack(f"<{len(chars)}d", *(probs[c] for c in chars)))
    return marshal.dumps((EMISSION_FORMAT, states))

def lazy_emission(data: bytes) -> tuple[dict[str, dict[str, float]], Callable[[str], None]]:
    """The emission table with no character yet, and ``ensure(text)``, which adds the characters of text.

    finalseg looks a character up with ``emit_p[state].get(char, MIN_FLOAT)``: once ``ensure`` has run
    over a sentence, every lookup its Viterbi makes gives what the full table gives.
    """
    version, states = marshal.loads(data)
    if version != EMISSION_FORMAT:
        raise ValueError(f"prebuilt emission table format {version}, this loader reads {EMISSION_FORMAT}")
    table: dict[str, dict[str, float]] = {state: {} for state in states}
    seen: set[str] = set()

    def ensure(text: str) -> None:
        new = set(text) - seen
        if not new:
            return
        seen.update(new)
        for state, (chars, values) in states.items():
            probs = table[state]
            for ch in new:
                i = bisect.bisect_left(chars, ch)
                if i < len(chars) and chars[i] == ch:
                    probs[ch] = struct.unpack_from("<d", values, 8 * i)[0]

    return table, ensure

def install_lazy_emission() -> Callable[[str], None] | None:
    """Before jieba is imported: stand in for finalseg's prob_emit with the lazy table shipped beside this
    module (the browser build); None where there is none (CPython, where jieba loads its own)."""
    if EMISSION_MODULE in sys.modules:
        return None
    try:
        data = __spec__.loader.get_data(os.path.join(os.path.dirname(__file__), EMISSION_FILE))
    except OSError:
        return None
    module = types.ModuleType(EMISSION_MODULE, "jieba's HMM emission table, loaded as texts need it")
    module.P, ensure = lazy_emission(data)
    sys.modules[EMISSION_MODULE] = module
    return ensure

def _prefix_dict(lines: Iterable[bytes]) -> tuple[dict[str, int], int]:
    """jieba's own Tokenizer.gen_pfdict: words with their counts, every prefix at 0 unless a word."""
    freq: dict[str, int] = {}
    total = 0
    for line in lines:
        line = line.strip()
        if not line:
            continue
        word, count = line.decode("utf-8").split(" ")[:2]
        freq[word] = int(count)
        total += int(count)
        for end in range(1, len(word)):
            freq.setdefault(word[:end], 0)
    return freq, total

def build_prefix_dict(dict_txt: bytes) -> bytes:
    """dict.txt -> a header (format, total, first characters sorted as one string, offsets) and the shards.

    A first character's shard is marshalled text: the words without their first character joined by
    newlines, and their counts as decimal text (1.9 MB gzip in all, against 2.3 MB for lists of ints).
    The shards follow the header as one run of bytes: loading reads the header only, not 6,000 objects.
    Layout: uint32 header length, the marshalled header, the shards; offsets are uint32 into the shards.
    """
    freq, total = _prefix_dict(dict_txt.splitlines())
    by_first: dict[str, list[str]] = {}
    for key in sorted(freq):
        by_first.setdefault(key[0], []).append(key)
    if any("\n" in key for key in freq):
        raise ValueError("a dictionary word contains a newline")
    firsts = sorted(by_first)
    shards = [
        marshal.dumps(("\n".join(k[1:] for k in keys), " ".join(str(freq[k]) for k in keys)))
        for keys in (by_first[ch] for ch in firsts)
    ]
    offsets = [0]
    for shard in shards:
        offsets.append(offsets[-1] + len(shard))
    header = marshal.dumps((PREFIX_DICT_FORMAT, total, "".join(firsts), struct.pack(f"<{len(offsets)}I", *offsets)))
    return struct.pack("<I", len(header)) + header + b"".join(shards)

def _read_prefix_dict(data: bytes) -> tuple[int, str, bytes, memoryview]:
    """build_prefix_dict's bytes -> total, first characters, offsets, shards (a view: nothing copied)."""
    (size,) = struct.unpack_from("<I", data)
    version, total, firsts, offsets = marshal.loads(data[4 : 4 + size])
    if version != PREFIX_DICT_FORMAT:
        raise ValueError(f"prebuilt dictionary format {version}, this loader reads {PREFIX_DICT_FORMAT}")
    return total, firsts, offsets, memoryview(data)[4 + size :]

def install_prefix_dict(data: bytes, tokenizer: Any = None) -> Callable[[str], None]:
    """Make ``tokenizer`` (default: jieba's) use the prebuilt dictionary, loading it on demand.

    Returns ``ensure(text)``, which loads the words of every first character in ``text`` now.
    """
    import jieba  # here: this module is imported before jieba, which must find its emission table in place

    dt = tokenizer if tokenizer is not None else jieba.dt
    total, firsts, offsets, shards = _read_prefix_dict(data)
    done: set[str] = set()  # first characters looked at: loaded, or not in the dictionary
    loaded: dict[str, int] = {}
    added: dict[str, list[tuple[str, int]]] = {}  # first character -> words added before it loaded

    def shard_of(ch: str) -> memoryview | None:
        i = bisect.bisect_left(firsts, ch)
        if i == len(firsts) or firsts[i] != ch:
            return None
        start, end = struct.unpack_from("<2I", offsets, 4 * i)
        return shards[start:end]

    def ensure(text: str) -> None:
        for ch in set(text) - done:
            done.add(ch)
            shard = shard_of(ch)
            if shard is not None:
                rests, counts = marshal.loads(shard)
                loaded.update(zip([ch + r for r in rests.split("\n")], map(int, counts.split(" ")), strict=True))
            for word, count in added.pop(ch, ()):  # an added word's count wins over the dictionary's
                loaded[word] = count

    get_dag = type(dt).get_DAG
    add_word = type(dt).add_word

    def get_DAG(sentence: str) -> dict[int, list[int]]:
        ensure(sentence)
        return get_dag(dt, sentence)

    def add_word_counted(word: str, freq: int | None = None, tag: str | None = None) -> None:
        # jieba's own add_word (count, total, prefixes at 0); its first character may load later.
        add_word(dt, word, freq, tag)
        if word and word[0] not in done:
            added.setdefault(word[0], []).append((word, dt.FREQ[word]))

    with dt.lock:
        dt.FREQ, dt.total, dt.initialized = loaded, total, True
        # Instance attributes win over the class's methods, and jieba calls both through self.
        dt.get_DAG, dt.add_word = get_DAG, add_word_counted
    if dt is jieba.dt:
        jieba.add_word = add_word_counted  # bound to the old method when jieba was imported
    return ensure


def use_prebuilt_dictionary() -> bool:
    """Install the prefix dictionary shipped beside jieba (the browser build); False where there is none."""
    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), PREFIX_DICT_FILE)
    try:
        data = jieba.__spec__.loader.get_data(path)  # a plain file, or a member of the engine's zip
    except OSError:
        return False
    install_prefix_dict(data)
    return True
