"""Token ids from Hugging Face's CLIPTokenizer for the app's own tokenizer test.

Builds CLIPTokenizer offline from the shipped merge list (vendor/clip-bpe), the same vocabulary
as openai/clip-vit-large-patch14 and SD 2.x, tokenizes every string read as JSON lines
({"text": ...}) on stdin and writes {"text", "ids"} lines to stdout. Run it with the gpu-service
venv: python scripts/clip-tokenizer-fixture.py < strings.jsonl > fixture.jsonl
"""

import gzip
import json
import sys
import tempfile
from pathlib import Path

from transformers import CLIPTokenizer

BPE = Path(__file__).resolve().parent.parent / "vendor" / "clip-bpe" / "bpe_simple_vocab_16e6.txt.gz"


def bytes_to_unicode() -> dict[int, str]:
    bs = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def build(folder: Path) -> CLIPTokenizer:
    lines = gzip.open(BPE).read().decode("utf-8").split("\n")
    merges = lines[1 : 49152 - 256 - 2 + 1]
    chars = list(bytes_to_unicode().values())
    vocab = chars + [c + "</w>" for c in chars] + ["".join(m.split()) for m in merges]
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    (folder / "vocab.json").write_text(json.dumps({t: i for i, t in enumerate(vocab)}))
    (folder / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n")
    return CLIPTokenizer(str(folder / "vocab.json"), str(folder / "merges.txt"))


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tok = build(Path(d))
        for line in sys.stdin:
            if line.strip():
                text = json.loads(line)["text"]
                print(json.dumps({"text": text, "ids": tok(text).input_ids}, ensure_ascii=False))


if __name__ == "__main__":
    main()
