"""The fast extraction kernels give bit-for-bit what their plain reference definitions give."""

from __future__ import annotations

import numpy as np
import pytest

from scomm.fingerprints import orientation
from scomm.fingerprints.enhancement import _oriented_pass, across_kernel, along_kernel
from scomm.fingerprints.minutiae import thin
from scomm.fingerprints.parameters import ExtractionParameters
from scomm.fingerprints.segmentation import block_mean, expand_blocks, gradient_block_means

PARAMS = ExtractionParameters()


@pytest.mark.parametrize("seed", range(6))
def test_gradient_block_means_equal_numpy_block_means(seed: int) -> None:
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(17, 90)), int(rng.integers(17, 90)))
    scale = [1.0, 30.0, 1e4][seed % 3]
    gx = (rng.normal(size=shape) * scale).astype(np.float32)
    gy = (rng.normal(size=shape) * scale).astype(np.float32)
    gxx, gyy, gxy, energy = gradient_block_means(gx, gy, 4)
    assert np.array_equal(gxx, block_mean(gx * gx, 4))
    assert np.array_equal(gyy, block_mean(gy * gy, 4))
    assert np.array_equal(gxy, block_mean(gx * gy, 4))
    assert np.array_equal(energy, block_mean(gx * gx + gy * gy))


def test_expand_blocks_repeats_and_pads_with_edge_blocks() -> None:
    blocks = np.arange(12, dtype=np.float32).reshape(3, 4)
    for shape in [(12, 16), (10, 13), (15, 19)]:
        full = np.repeat(np.repeat(blocks, 4, axis=0), 4, axis=1)[: shape[0], : shape[1]]
        pad = ((0, shape[0] - full.shape[0]), (0, shape[1] - full.shape[1]))
        assert np.array_equal(expand_blocks(blocks, shape, 4), np.pad(full, pad, mode="edge"))


def _oriented_pass_reference(img, cos, sin, mask, kernel):
    h, w = img.shape
    half = kernel.shape[0] // 2
    out = img.copy()
    for y in range(h):
        for x in range(w):
            if not mask[y, x]:
                continue
            c = float(cos[y, x])
            s = float(sin[y, x])
            acc = 0.0
            for i in range(kernel.shape[0]):
                k = i - half
                xx = min(max(int(x + k * c + 0.5 + 1e4) - 10000, 0), w - 1)
                yy = min(max(int(y + k * s + 0.5 + 1e4) - 10000, 0), h - 1)
                acc += float(kernel[i] * img[yy, xx])  # float32 product, float64 sum
            out[y, x] = acc
    return out


@pytest.mark.parametrize("coarse", [1, 4])
def test_oriented_pass_equals_reference(coarse: int) -> None:
    rng = np.random.default_rng(coarse)
    h, w = 37, 45
    img = (rng.random((h, w)) * 255).astype(np.float32)
    angle = np.empty((h, w), np.float32)
    cells = rng.random(((h + coarse - 1) // coarse, (w + coarse - 1) // coarse)) * np.pi
    # include exact axis directions, where k·cos lands on half-integers
    cells.ravel()[:6] = [0.0, np.pi / 2, np.pi / 3, np.pi / 4, np.pi / 6, np.pi]
    angle[:] = expand_blocks(cells.astype(np.float32), (h, w), coarse)
    cos = np.cos(angle).astype(np.float32)
    sin = np.sin(angle).astype(np.float32)
    mask = rng.random((h, w)) < 0.85
    for kernel in (along_kernel(PARAMS), across_kernel(9.0, PARAMS)):
        assert np.array_equal(_oriented_pass(img, cos, sin, mask, kernel),
                              _oriented_pass_reference(img, cos, sin, mask, kernel))


def _zhang_suen_reference(img):
    sk = img.copy()
    sk[0, :] = sk[-1, :] = 0
    sk[:, 0] = sk[:, -1] = 0
    changed = True
    while changed:
        changed = False
        for step in range(2):
            kill = []
            for y, x in zip(*np.nonzero(sk)):
                p = [int(sk[y + dy, x + dx]) for dy, dx in
                     ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))]
                if not 2 <= sum(p) <= 6:
                    continue
                if sum(p[i] == 0 and p[(i + 1) % 8] == 1 for i in range(8)) != 1:
                    continue
                p2, _, p4, _, p6, _, p8, _ = p
                if step == 0 and (p2 * p4 * p6 or p4 * p6 * p8):
                    continue
                if step == 1 and (p2 * p4 * p8 or p2 * p6 * p8):
                    continue
                kill.append((y, x))
            for y, x in kill:
                sk[y, x] = 0
                changed = True
    return sk


def test_thinning_equals_reference() -> None:
    rng = np.random.default_rng(7)
    for _ in range(3):
        binary = (rng.random((40, 50)) < 0.55).astype(np.uint8)
        assert np.array_equal(thin(binary), _zhang_suen_reference(binary))


def _ridge_period_reference(img, mask, params):
    centred = np.where(mask, img - img[mask].mean(), 0.0)
    power = np.abs(np.fft.rfft2(centred)) ** 2
    fy = np.fft.fftfreq(img.shape[0])[:, None]
    fx = np.fft.rfftfreq(img.shape[1])[None, :]
    radius = np.sqrt(fx * fx + fy * fy)
    band = (radius >= 1.0 / params.max_period) & (radius <= 1.0 / params.min_period)
    total = float(power.sum() - power[0, 0])
    bins = np.linspace(1.0 / params.max_period, 1.0 / params.min_period, 33)
    hist, _ = np.histogram(radius[band], bins=bins, weights=power[band])
    smooth = np.convolve(hist, np.ones(3) / 3.0, mode="same")
    peak = int(np.argmax(smooth))
    return float(1.0 / (0.5 * (bins[peak] + bins[peak + 1]))), float(power[band].sum() / total)


@pytest.mark.parametrize("period", [7.0, 9.5, 12.0])
def test_ridge_period_equals_histogram_reference(period: float) -> None:
    rng = np.random.default_rng(int(period))
    h, w = 120, 104
    yy, xx = np.mgrid[0:h, 0:w]
    img = (128 + 100 * np.sin(2 * np.pi * (0.8 * xx + 0.6 * yy) / period)
           + rng.normal(0, 20, (h, w))).astype(np.float32)
    mask = np.zeros((h, w), bool)
    mask[16:96, 8:88] = True
    got = orientation.ridge_period(img, mask, PARAMS)
    assert got == _ridge_period_reference(img, mask, PARAMS)
    assert abs(got[0] - period) < 1.0


@pytest.mark.parametrize("shape", [(60, 47), (13, 200), (440, 400)])
def test_gradients_equal_scipy_gaussian_filter(shape: tuple[int, int]) -> None:
    from scipy import ndimage

    rng = np.random.default_rng(shape[0])
    img = (rng.random(shape) * 255).astype(np.float32)
    gx, gy = orientation.gradients(img, 1.0)
    assert np.array_equal(gx, ndimage.gaussian_filter(img, 1.0, order=(0, 1)))
    assert np.array_equal(gy, ndimage.gaussian_filter(img, 1.0, order=(1, 0)))


@pytest.mark.parametrize("sigmas", [(3.0, 4.5, 6.5), (2.5, 6.0), (4.0,)])
def test_enhancing_several_smoothings_at_once_equals_one_at_a_time(sigmas: tuple[float, ...]) -> None:
    """The fused along-ridge pass (shared samples, zero-padded shorter kernels) changes no ridge map,
    including near the image edge and the mask edge, where taps are clamped."""
    from dataclasses import replace

    from scomm.fingerprints.enhancement import enhance, enhance_many

    rng = np.random.default_rng(len(sigmas))
    h, w = 120, 97
    y, x = np.mgrid[0:h, 0:w]
    img = (127 + 90 * np.sin(2 * np.pi * (x + 0.01 * (y - 60) ** 2) / 9) + rng.normal(0, 20, (h, w))).astype(np.float32)
    angle = np.repeat(np.repeat(rng.uniform(0, np.pi, (h // 4 + 1, w // 4 + 1)), 4, 0), 4, 1)[:h, :w]
    mask = np.ones((h, w), bool)
    mask[:9] = False
    mask[40:50, 60:] = False
    variants = [replace(ExtractionParameters(), along_sigma=s) for s in sigmas]
    fused = enhance_many(img, angle, mask, 9.0, variants)
    one_by_one = [enhance(img, angle, mask, 9.0, p) for p in variants]
    assert len(fused) == len(variants)
    for a, b in zip(fused, one_by_one):
        assert np.array_equal(a, b)
    assert any(m.sum() > 0.2 * mask.sum() for m in fused)
