"""Write synthetic impressions in the FVC layout ({finger}_{impression}.png) for matcher evaluation."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from scomm.sim.ridges.impressions import impression
from scomm.sim.ridges.master import make_master
from scomm.sim.ridges.parameters import ImpressionParameters, MasterParameters


def write_fvc_folder(
    path: str | Path,
    fingers: int,
    impressions: int,
    seed: int,
    master_params: MasterParameters = MasterParameters(),
    impression_params: ImpressionParameters = ImpressionParameters(),
) -> Path:
    """Fingers are numbered from 101 as in FVC; impression k of finger f is `{f}_{k}.png` (500 ppi)."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(fingers):
        master = make_master(seed * 100_003 + f, params=master_params)
        for k in range(impressions):
            image = impression(master, k, impression_params)
            Image.fromarray(image).save(folder / f"{101 + f}_{k + 1}.png", dpi=(500, 500))
    return folder


if __name__ == "__main__":
    import sys

    write_fvc_folder(sys.argv[1] if len(sys.argv) > 1 else "/tmp/synth_fvc", 20, 8, 1)
