"""Draw the gold-labelling sample from records.txt.

Usage: python3 sample.py [records.txt] [--extra N]
Prints 60 records chosen with random.Random(20261208).sample over the lines of records.txt
(in file order). With --extra N it prints the sample of 60+N, so that the next draws, in order,
can replace any sampled file that turns out to be a template or index.
"""

import os
import random
import sys

SEED = 20261208
K = 60


def main(argv):
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "records.txt")
    extra = 0
    args = list(argv)
    if "--extra" in args:
        i = args.index("--extra")
        extra = int(args[i + 1])
        del args[i : i + 2]
    if args:
        path = args[0]
    with open(path, encoding="utf-8") as fh:
        records = [line.strip() for line in fh if line.strip()]
    for rec in random.Random(SEED).sample(records, K + extra):
        print(rec)


if __name__ == "__main__":
    main(sys.argv[1:])
