#!/usr/bin/env python3
"""Open review questions on the evaluation corpora, through the binary.

    python3 scripts/review_eval.py target/release/fieldvault ../shared/eval

For each corpus: a fresh vault (tiny Argon2), the registry (public: the persons and terms of
persons.json / terms.json; news-dev: NOBODY registered, one placeholder interviewee whose name
occurs nowhere), every text imported as a transcript, then `review list --json` and
`transcript show ID --redacted --json`. Prints open questions per 1,000 words, the share of
questions that are true unregistered names, and the share of unregistered person mentions that
were replaced or asked about. Word-level matching (a question is true when its word is a gold
name; a mention is covered when that word occurs fewer times in the redacted text than in the
original, or is asked about): examples/review_eval.rs computes the same on exact offsets.
"""
import json, os, re, subprocess, sys, tempfile
from collections import Counter

WORD = re.compile(r"\w+")


class Vault:
    def __init__(self, fv):
        self.fv, self.dir = fv, tempfile.mkdtemp(prefix="fv-review-eval.")
        self.env = dict(os.environ, FIELDVAULT_PASSPHRASE="review eval passphrase 42")
        self.path = os.path.join(self.dir, "v.vault")
        self.run("init", "--kdf-memory-mib", "8", "--kdf-iterations", "1")

    def run(self, *args):
        p = subprocess.run([self.fv, "--vault", self.path, *args], env=self.env, capture_output=True, timeout=600)
        if p.returncode:
            sys.exit(f"`{' '.join(args[:3])}` failed: {p.stderr.decode(errors='replace').strip()[-300:]}")
        return p.stdout.decode()

    def json(self, *args):
        return json.loads(self.run("--json", *args))

    def write(self, name, text):
        f = os.path.join(self.dir, name)
        open(f, "w", encoding="utf-8").write(text)
        return f


def count_word(text, w):
    return sum(1 for m in WORD.finditer(text) if m.group(0) == w)


def score(label, words, questions, true_q, mentions, covered):
    print(f"{label}: words={words} questions={questions} per_1000_words={1000 * questions / max(words, 1):.2f} "
          f"true_names_share={100 * true_q / max(questions, 1):.1f}% unregistered_mentions={mentions} "
          f"replaced_or_asked={100 * covered / max(mentions, 1):.1f}%")


def public(fv, corpus):
    load = lambda f: json.load(open(os.path.join(corpus, f), encoding="utf-8"))
    persons, terms, manifest, gold = load("persons.json"), load("terms.json"), load("manifest.json"), load("gold.json")
    v = Vault(fv)
    ids = {}
    for p in persons:
        args = ["person", "add", "--name", p["name"]]
        for a in p.get("aliases", []):
            args += ["--alias", a]
        c = p.get("contacts", {})
        for k, flag in (("phone", "--phone"), ("email", "--email"), ("telegram", "--handle")):
            if c.get(k):
                args += [flag, c[k]]
        ids[p["key"]] = str(v.json(*args)["id"])
    for t in terms.get("sensitive", []):
        v.run("term", "add", t["text"], "--kind", t.get("kind", "other"))
    for t in terms.get("allow", []):
        v.run("term", "allow", t)
    files = {}
    for t in manifest["transcripts"]:
        args = ["transcript", "import", os.path.join(corpus, "transcripts", t["file"]), "--date", t["date"], "--lang", t["lang"]]
        for k in t["persons"]:
            args += ["--person", ids[k]]
        if t.get("translation"):
            args += ["--translation", os.path.join(corpus, "transcripts", t["translation"])]
        tid = v.json(*args)["id"]
        files[tid] = (t["file"], t.get("translation"))
    qs = v.json("review", "list")["questions"]
    words = questions = true_q = mentions = covered = 0
    for tid, (orig, tr) in files.items():
        shown = v.json("transcript", "show", str(tid), "--redacted")["turns"]
        raw = v.json("transcript", "show", str(tid))["turns"]
        for field, name, key in (("original", orig, "text"), ("translation", tr, "translation")):
            if not name:
                continue
            src = "\n".join(t[key] or "" for t in raw)
            red = "\n".join(t[key] or "" for t in shown)
            words += len(WORD.findall(src))
            names = [i["text"] for i in gold.get(name, {}).get("must_redact", []) if i["category"] == "unregistered_name"]
            mine = [q for q in qs if q["transcript"] == tid and q["field"] == field]
            questions += len(mine)
            true_q += sum(1 for q in mine if any(q["word"] in n or n in q["word"] for n in names))
            for n in names:
                k = src.count(n)
                mentions += k
                asked = sum(1 for q in mine if q["word"] in n or n in q["word"])
                covered += min(k, src.count(n) - red.count(n) + asked)
    score("public (registered persons and terms)", words, questions, true_q, mentions, covered)


def news(fv, corpus_file):
    docs = json.load(open(corpus_file, encoding="utf-8"))["docs"]
    v = Vault(fv)
    pid = str(v.json("person", "add", "--name", "Qzxv Wprt")["id"])
    words = questions = true_q = mentions = covered = 0
    tids = {}
    for d in docs:
        f = v.write(d["id"] + ".txt", d["text"])
        tids[d["id"]] = v.json("transcript", "import", f, "--person", pid, "--date", "2020-01-01", "--lang", "ru")["id"]
    qs = v.json("review", "list")["questions"]
    by_t = {}
    for q in qs:
        by_t.setdefault(q["transcript"], []).append(q)
    for d in docs:
        tid = tids[d["id"]]
        text, toks = d["text"], d["tokens"]
        red = "\n".join(t["text"] for t in v.json("transcript", "show", str(tid), "--redacted")["turns"])
        words += len(WORD.findall(text))
        person = Counter()
        for m in d["mentions"]:
            for ti in m["tokens"]:
                a, b = toks[ti]
                if WORD.search(text[a:b]):
                    person[text[a:b]] += 1
        mine = by_t.get(tid, [])
        questions += len(mine)
        true_q += sum(1 for q in mine if any(w in person for w in WORD.findall(q["word"])))
        # A question about "Дмитрий Медведев" asks about both words.
        asked = Counter(w for q in mine for w in WORD.findall(q["word"]))
        for w, n in person.items():
            mentions += n
            covered += min(n, max(0, count_word(text, w) - count_word(red, w)) + asked[w])
    score("news-dev (nobody registered)", words, questions, true_q, mentions, covered)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    fv, root = sys.argv[1], sys.argv[2]
    public(fv, os.path.join(root, "public"))
    news(fv, os.path.join(root, "news-dev", "ru-dev.json"))
