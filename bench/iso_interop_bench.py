"""ISO/IEC 19794-2 cross-check: scomm's matcher on another vendor's minutiae vs on scomm's own.

Each FVC2002 B image comes with a 2005 minutiae record made by an unrelated extractor. The same
MCC matcher scores all-pairs and FVC-protocol comparisons three ways, per set:

- scomm: templates from scomm's extractor (``extract``);
- vendor, as recorded: the records' minutiae in the records' own frame (every record says 300 x 400
  pixels at 197 ppcm, whatever the image);
- vendor, image frame: the same minutiae mapped back onto the image (x * width / 300, y * height / 400)
  and, for DB2 (569 ppi), rescaled to 500 ppi, which is where scomm's extractor puts its own;
- scomm via ISO: scomm's templates written as ISO records and read back (whole pixels, 1.4° steps),
  which is what another system receiving scomm's records would match.

    python bench/iso_interop_bench.py [--json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scomm.fingerprints import compare
from scomm.fingerprints.evaluation import error_rates, extract_folder, protocol_scores, scan_folder
from scomm.fingerprints.images import load_image
from scomm.fingerprints.iso19794 import read_file, template_from_bytes, template_to_bytes, to_template
from scomm.fingerprints.templates import Template

FVC = Path("/work/shared/data/fingerprints/fvc2002")
PPI = {"DB1_B": 500, "DB2_B": 569, "DB3_B": 500, "DB4_B": 500}


def vendor_templates(folder: Path, ppi: int, image_frame: bool) -> dict[tuple[str, int], Template | None]:
    out: dict[tuple[str, int], Template | None] = {}
    for key, image in scan_folder(folder).items():
        record = read_file(image.with_suffix(".iso"))
        if not image_frame:
            out[key] = to_template(record)
            continue
        height, width = load_image(image)[0].shape
        out[key] = to_template(record, image_size=(width, height), ppi=ppi)
    return out


def rates(templates: dict[tuple[str, int], Template | None]) -> dict[str, float]:
    scores = protocol_scores(templates, compare)
    result = {}
    for protocol, (gen, imp) in scores.items():
        r = error_rates(gen, imp)
        result.update({f"{protocol}_{k}": round(v, 2) for k, v in r.items()})
    minutiae = [len(t) for t in templates.values() if t is not None]
    result["minutiae"] = round(sum(minutiae) / max(len(minutiae), 1), 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    table = {}
    for db, ppi in PPI.items():
        folder = FVC / db
        own = extract_folder(folder, ppi)
        via_iso = {k: template_from_bytes(template_to_bytes(t)) if t is not None else None for k, t in own.items()}
        table[db] = {"scomm": rates(own), "scomm_via_iso": rates(via_iso),
                     "vendor_recorded": rates(vendor_templates(folder, ppi, image_frame=False)),
                     "vendor_image_frame": rates(vendor_templates(folder, ppi, image_frame=True))}
    if args.json:
        print(json.dumps(table, indent=2))
        return
    print("| set | minutiae (scomm / vendor) | EER scomm | EER scomm via ISO | EER vendor, as recorded "
          "| EER vendor, image frame | FMR1000 scomm | FMR1000 vendor, image frame |")
    print("|---|---|---|---|---|---|---|---|")
    for db, row in table.items():
        s, i, v, f = row["scomm"], row["scomm_via_iso"], row["vendor_recorded"], row["vendor_image_frame"]
        print(f"| {db} | {s['minutiae']} / {v['minutiae']} | {s['all_pairs_eer']:.2f}% | {i['all_pairs_eer']:.2f}% "
              f"| {v['all_pairs_eer']:.2f}% | {f['all_pairs_eer']:.2f}% | {s['all_pairs_fmr1000']:.2f}% "
              f"| {f['all_pairs_fmr1000']:.2f}% |")
    for name in ("scomm", "scomm_via_iso", "vendor_recorded", "vendor_image_frame"):
        mean = sum(row[name]["all_pairs_eer"] for row in table.values()) / len(table)
        print(f"average all-pairs EER, {name}: {mean:.2f}%")


if __name__ == "__main__":
    main()
