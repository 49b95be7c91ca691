"""Image → template: resampling, segmentation, orientation, enhancement, minutiae."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy import ndimage

from scomm.errors import PoorQualityError
from scomm.fingerprints import enhancement, minutiae, orientation, reliability, segmentation
from scomm.fingerprints.parameters import ExtractionParameters
from scomm.fingerprints.templates import EXTRACTOR_NAME, EXTRACTOR_VERSION, Template

_DEFAULT = ExtractionParameters()


def normalise_resolution(pixels: np.ndarray, ppi: int, target: int = 500) -> np.ndarray:
    """Float32 image resampled to ``target`` ppi; downsampling is low-passed first to avoid aliasing."""
    img = np.asarray(pixels, dtype=np.float32)
    if ppi == target:
        return img
    scale = target / float(ppi)
    if scale < 1.0:
        img = ndimage.gaussian_filter(img, 0.5 / scale)  # ≈ anti-alias for the coarser grid
    return ndimage.zoom(img, scale, order=1)


@dataclass(frozen=True)
class Detection:
    """Every minutia the enhancements found (before the reliability ranking and the cap), and what
    :mod:`scomm.fingerprints.reliability` describes them with."""

    minutiae: np.ndarray  # (n, 4) x, y, angle, coherence quality
    kinds: np.ndarray
    source: np.ndarray  # which enhancement found each minutia (0 = the base one)
    coherence: np.ndarray
    period: float
    base: np.ndarray  # binary ridge map of the base enhancement
    smoothest: np.ndarray  # ... and of the smoothest one
    width: int
    height: int
    quality: float  # image quality

    def features(self) -> np.ndarray:
        return reliability.features(self.minutiae, self.kinds, self.source, self.coherence, self.period,
                                    self.base, self.smoothest)


def extract(pixels: np.ndarray, ppi: int = 500, params: ExtractionParameters = _DEFAULT) -> Template:
    """Minutiae template of a fingerprint image (uint8, H×W, dark ridges on light background).

    Each minutia's quality is its learned reliability (:mod:`scomm.fingerprints.reliability`); the
    minutiae are ordered by it, most reliable first, and at most ``max_minutiae`` are kept.
    Raises PoorQualityError for blank, tiny, non-fingerprint or too-few-minutiae images.
    """
    found = detect(pixels, ppi, params)
    if len(found.minutiae) < params.min_minutiae:
        raise PoorQualityError(f"only {len(found.minutiae)} minutiae found (need {params.min_minutiae})",
                               found.quality)
    mins = found.minutiae.copy()
    mins[:, 3] = reliability.predict(found.features())
    order = np.argsort(-mins[:, 3], kind="stable")[: params.max_minutiae]
    return Template(mins[order], found.kinds[order], found.width, found.height, params.target_ppi,
                    round(found.quality, 4), EXTRACTOR_NAME, EXTRACTOR_VERSION)


def detect(pixels: np.ndarray, ppi: int = 500, params: ExtractionParameters = _DEFAULT) -> Detection:
    """Segmentation, orientation, enhancements and minutiae of an image, before the reliability ranking.

    Raises PoorQualityError for blank, tiny or non-fingerprint images.
    """
    arr = np.asarray(pixels)
    if arr.ndim != 2:
        raise PoorQualityError(f"expected a grey-scale image, got shape {arr.shape}")
    if ppi <= 0:
        raise PoorQualityError(f"resolution must be positive, got {ppi} ppi")
    img = 255.0 - normalise_resolution(arr, ppi, params.target_ppi)  # ridges bright
    if min(img.shape) < params.min_side:
        raise PoorQualityError(f"image {img.shape[1]}×{img.shape[0]} at {params.target_ppi} ppi is "
                               f"smaller than {params.min_side} pixels a side")
    gx, gy = orientation.gradients(img, params.gradient_sigma)
    gxx, gyy, gxy, energy = segmentation.gradient_block_means(gx, gy, orientation.COARSE)
    mask = segmentation.segment_blocks(energy, img.shape, params)
    area = float(mask.mean())
    if area < params.min_area_fraction:
        raise PoorQualityError(f"foreground covers {area:.0%} of the image", 0.0)
    field = orientation.orientation_field(gx, gy, params, (gxx, gyy, gxy))
    quality = image_quality(field.coherence, mask, area)
    if quality < params.min_quality:
        raise PoorQualityError("no coherent ridge pattern (not a fingerprint?)", quality)
    period, band_power = orientation.ridge_period(img, mask, params)
    if band_power < params.min_ridge_band_power:
        raise PoorQualityError(f"only {band_power:.0%} of the texture is at ridge frequencies "
                               "(not a fingerprint?)", quality)
    direction = None if field.cos is None or field.sin is None else (field.cos, field.sin)
    mins, kinds, source, ridges = _enhanced_minutiae(img, mask, field, period, params, direction)
    return Detection(mins, kinds, source, field.coherence, period, ridges[0], ridges[-1], img.shape[1],
                     img.shape[0], quality)


def image_quality(coherence: np.ndarray, mask: np.ndarray, area: float) -> float:
    """0..1: mean ridge coherence in the foreground, discounted when the foreground is small."""
    mean_coherence = float(coherence[mask].mean()) if mask.any() else 0.0
    return float(np.clip(mean_coherence * min(1.0, area / 0.3) ** 0.5, 0.0, 1.0))


def border_distance(mask: np.ndarray) -> np.ndarray:
    """Distance (pixels) to the nearest background pixel, computed on a 4× coarser grid.

    The mask is built from 8×8 blocks, so the coarse grid loses nothing that matters.
    """
    return segmentation.expand_blocks(_coarse_border_distance(mask), mask.shape, 4)


def _coarse_border_distance(mask: np.ndarray) -> np.ndarray:
    coarse = mask[::4, ::4]
    return ndimage.distance_transform_edt(np.pad(coarse, 1))[1:-1, 1:-1] * 4.0


def _enhanced_minutiae(img: np.ndarray, mask: np.ndarray, field: orientation.OrientationField, period: float,
                       params: ExtractionParameters, direction: tuple[np.ndarray, np.ndarray] | None
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
    """Minutiae of the enhancement at ``along_sigma``, plus those found only with the longer
    along-ridge smoothings of ``extra_along_sigmas``.

    Longer smoothing joins the fragmented ridges of dry or noisy regions (and loses some real
    endings elsewhere), so each enhancement finds minutiae the others miss; its skeleton has fewer
    noise spurs, so its spur filter is shorter (``extra_spur_length``). A minutia of a later
    enhancement is added only when no minutia already kept lies within ``merge_distance``. Returns
    the union (unordered, uncapped), which enhancement found each, and the ridge maps.
    """
    variants = [replace(params, along_sigma=float(sigma), spur_length=params.extra_spur_length)
                for sigma in params.extra_along_sigmas]
    ridges = enhancement.enhance_many(img, field.angle, mask, period, [params, *variants], direction)
    # border_distance is constant on 4×4 cells: found once on the coarse grid, looked up there
    coarse = _coarse_border_distance(mask)
    mins, kinds = _minutiae(minutiae.thin(ridges[0]), mask, coarse, field, params)
    source = np.zeros(len(mins), dtype=np.uint8)
    for number, (variant, ridge_map) in enumerate(zip(variants, ridges[1:]), start=1):
        more, more_kinds = _minutiae(minutiae.thin(ridge_map), mask, coarse, field, variant)
        if len(more) == 0:
            continue
        if len(mins):
            nearest = np.hypot(more[:, None, 0] - mins[None, :, 0], more[:, None, 1] - mins[None, :, 1]).min(axis=1)
            new = nearest >= params.merge_distance
            more, more_kinds = more[new], more_kinds[new]
        mins = np.concatenate([mins, more])
        kinds = np.concatenate([kinds, more_kinds])
        source = np.concatenate([source, np.full(len(more), number, dtype=np.uint8)])
    return mins, kinds, source, ridges


def _minutiae(skeleton: np.ndarray, mask: np.ndarray, coarse: np.ndarray, field: orientation.OrientationField,
              params: ExtractionParameters) -> tuple[np.ndarray, np.ndarray]:
    # candidates are searched a little beyond the final border so spurs touching it are seen
    cands = minutiae.detect(skeleton, segmentation.expand_blocks(coarse > 3, mask.shape, 4), params)
    if len(cands) == 0:
        return np.zeros((0, 4), np.float32), np.zeros(0, np.uint8)
    cands[:, 2] = minutiae.refine_angles(cands, field.angle)
    keep = minutiae.remove_false(cands, params)
    xs = cands[:, 0].astype(int)
    ys = cands[:, 1].astype(int)
    border = coarse[np.minimum(ys // 4, coarse.shape[0] - 1), np.minimum(xs // 4, coarse.shape[1] - 1)]
    keep &= border >= params.border_distance
    cands = cands[keep]
    xs, ys, border = xs[keep], ys[keep], border[keep]
    quality = field.coherence[ys, xs] * np.minimum(1.0, border / (3 * params.border_distance))
    order = np.argsort(-quality, kind="stable")[: params.max_minutiae]
    mins = np.column_stack([cands[order, 0], cands[order, 1], cands[order, 2], quality[order]])
    return mins.astype(np.float32), cands[order, 3].astype(np.uint8)
