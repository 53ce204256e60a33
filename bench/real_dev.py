"""Issue 16's three analyses on the real data, each beside its baselines, in one run.

- names: agreement with Ajibode et al.'s 127 dev labels (exact pattern, type-multiset F1) of the two
  baselines (every name ``{identifier}``, the token parser) and of the codebook reading, in-sample
  and 5-fold cross-validated (bench/naming.py's dev split; targets on unseen names: 60 %, 0.85);
- versions: the kind of Ajibode et al.'s 111 RQ3 release pairs and 618 sampled releases read from the
  names, beside every release read as major (their majority label) and the first v-number's form
  (``analysis.naming.agreement.release_agreement``); what changed between a pair's repos is not in
  the real data (docs/naming.md);
- forecasts: the dev-split protocol on Bhandari et al.'s fine-tune series (``analysis.forecast.devsplit``:
  median APE of the published forecast beside the best baseline at 3, 6 and 12 months, interval
  coverage, WSB convergence); ``--subsets`` adds every equal-weight combination of the components.

    .venv/bin/python bench/real_dev.py [--realdata PATH] [--workers 2] [--subsets]

About a minute on 2 cores, most of it the paper's WSB fit retrying (the forecast baseline).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from naming import dev_split  # noqa: E402

from analysis.forecast.devsplit import evaluate, format_result  # noqa: E402
from analysis.naming.agreement import release_agreement  # noqa: E402

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"


def versions(semver: Path) -> None:
    if not semver.is_dir():
        print(f"versions: {semver} absent")
        return
    found = release_agreement(semver)
    print(f"versions (Ajibode et al. RQ3: {len(found['pairs'])} release pairs, {len(found['samples'])} sampled "
          "releases; the kind read from the names)")
    for name, (pairs, samples) in found["agreement"].items():
        print(f"  {name:<34} pairs {pairs:6.1%}   sampled releases {samples:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--realdata", type=Path, default=REALDATA)
    parser.add_argument("--workers", type=int, default=2, help="Processes for the forecast protocol's fits.")
    parser.add_argument("--subsets", action="store_true",
                        help="Also score every equal-weight combination of the forecast components.")
    args = parser.parse_args()
    started = time.perf_counter()
    dev_split(loo=False, realdata=args.realdata)
    print()
    versions(args.realdata / "ajibode_semver")
    print()
    series = args.realdata / "bhandari_finetunes_dev" / "series.csv"
    if series.is_file():
        print("forecasts (Bhandari et al. fine-tune series, dev split)")
        print(format_result(evaluate(series, workers=args.workers, subsets=args.subsets)))
    else:
        print(f"forecasts: {series} absent")
    print(f"\nall three in {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
