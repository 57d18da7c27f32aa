"""Writes mutations of a certificate for tests/vcheck_agrees.sh (standard library only).
  mutate_json.py CERT OUT_DIR LIMIT: single-field mutations, every rational string +1,
    every integer +1, every boolean flipped, every object key dropped, on at most
    LIMIT leaves spread evenly over the document (named after CERT).
  mutate_json.py --bytes CERT OUT_DIR COUNT: COUNT byte-level corruptions (bytes
    replaced, deleted, or JSON fragments inserted), seeded, named bytes-K.json."""
import json
import os
import random
import sys
from fractions import Fraction


def leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield path + (key,), "key"
            yield from leaves(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from leaves(value, path + (i,))
    else:
        yield path, "value"


def mutated(cert, path, kind):
    copy = json.loads(json.dumps(cert))
    parent = copy
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if kind == "key":
        del parent[last]
        return copy
    value = parent[last]
    if isinstance(value, bool):
        parent[last] = not value
    elif isinstance(value, int):
        parent[last] = value + 1
    elif isinstance(value, str):
        try:
            parent[last] = str(Fraction(value) + 1)
        except (ValueError, ZeroDivisionError):
            return None
    else:
        return None
    return copy


def corrupt(cert_path, out_dir, count):
    rng = random.Random(2026)
    base = open(cert_path, "rb").read()
    fragments = [b"[", b"{", b'"', b"-1", b"1e400", b"0/0", b"99999999999999999999999", b"null", b",", b'"a\\nb"', b"/*", b"NaN"]
    os.makedirs(out_dir, exist_ok=True)
    for k in range(count):
        b = bytearray(base)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(b))
            op = rng.random()
            if op < 0.4:
                b[i] = rng.randrange(256)
            elif op < 0.7:
                del b[i:i + rng.randint(1, 8)]
            else:
                b[i:i] = rng.choice(fragments)
        with open(os.path.join(out_dir, f"bytes-{k}.json"), "wb") as f:
            f.write(bytes(b))


def main():
    if sys.argv[1] == "--bytes":
        corrupt(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    cert_path, out_dir, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(cert_path) as f:
        cert = json.load(f)
    spots = [s for s in leaves(cert) if s[0] and s[0][0] not in ("format", "data", "test")]
    step = max(1, len(spots) // limit)
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.basename(cert_path)[:-len(".json")]
    for n, (path, kind) in enumerate(spots[::step]):
        m = mutated(cert, path, kind)
        if m is not None:
            with open(os.path.join(out_dir, f"{base}-m{n}.json"), "w") as f:
                json.dump(m, f)


main()
