"""Behaviour of the synthetic fingerprint generator (scomm.sim.ridges)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

import scomm.sim.ridges as ridges
from scomm.sim.ridges import (
    ImpressionParameters,
    MasterParameters,
    PatternClass,
    impression,
    make_master,
    pattern_class_for,
    render_master,
)


@pytest.fixture(scope="module")
def master() -> ridges.MasterFinger:
    return make_master(7, PatternClass.RIGHT_LOOP)


def test_public_api_is_pinned() -> None:
    assert set(ridges.__all__) == {
        "ImpressionParameters", "MasterFinger", "MasterParameters", "PatternClass", "impression",
        "make_master", "pattern_class_for", "render_master",
    }


def test_same_seed_gives_identical_master_and_impression(master: ridges.MasterFinger) -> None:
    again = make_master(7, PatternClass.RIGHT_LOOP)
    assert np.array_equal(master.phase, again.phase)
    assert np.array_equal(master.minutiae, again.minutiae)
    assert np.array_equal(render_master(master), render_master(again))
    assert np.array_equal(impression(master, 3), impression(again, 3))


def test_different_seeds_give_different_prints() -> None:
    a, b = render_master(make_master(1, PatternClass.WHORL)), render_master(make_master(2, PatternClass.WHORL))
    assert np.mean(a != b) > 0.5


def test_outputs_are_uint8_images_of_the_configured_size(master: ridges.MasterFinger) -> None:
    params = MasterParameters()
    for image in (render_master(master), impression(master, 0)):
        assert image.dtype == np.uint8
        assert image.shape == (params.height, params.width)
        assert image.min() < 80 and image.max() > 180  # dark ridges, light background


def _dominant_period(image: np.ndarray) -> float:
    """Median over foreground patches of the radial peak of the patch spectrum."""
    h, w = image.shape
    corners = [(h // 2 + dy, w // 2 + dx) for dy in (-100, 0, 60) for dx in (-80, 0, 80)]
    return float(np.median([_patch_period(image[y - 64 : y + 64, x - 64 : x + 64]) for y, x in corners]))


def _patch_period(patch: np.ndarray) -> float:
    patch = patch.astype(float)
    patch = (patch - patch.mean()) * np.outer(np.hanning(128), np.hanning(128))
    power = np.abs(np.fft.fftshift(np.fft.fft2(patch))) ** 2
    fy, fx = np.meshgrid(np.fft.fftshift(np.fft.fftfreq(128)), np.fft.fftshift(np.fft.fftfreq(128)), indexing="ij")
    radius = np.hypot(fx, fy)
    # Power summed over rings of radius 1/128 cycles per pixel: curved ridges spread over a ring.
    rings = np.bincount((radius * 128).astype(int).ravel(), weights=power.ravel())
    rings[:4] = 0  # ignore illumination trends and the silhouette
    return 128.0 / float(np.argmax(rings) + 0.5)


@pytest.mark.parametrize("pattern", [PatternClass.ARCH, PatternClass.RIGHT_LOOP, PatternClass.WHORL])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ridge_period_matches_the_configured_frequency(seed: int, pattern: PatternClass) -> None:
    params = MasterParameters(period_min=9.0, period_max=9.0)
    period = _dominant_period(render_master(make_master(seed, pattern, params)))
    assert 7.5 < period < 12.5  # spectral bins near 9 px are ~0.6 px apart


def test_impressions_of_one_master_differ(master: ridges.MasterFinger) -> None:
    a, b = impression(master, 1), impression(master, 2)
    assert np.mean(np.abs(a.astype(int) - b.astype(int)) > 30) > 0.2


def test_impression_parameters_change_the_capture(master: ridges.MasterFinger) -> None:
    quiet = ImpressionParameters(noise_sigma=0.0, distortion=0.0, max_rotation=0.0, max_shift=0.0)
    assert not np.array_equal(impression(master, 1, quiet), impression(master, 1))


@pytest.mark.parametrize("pattern", list(PatternClass))
def test_every_pattern_class_renders_with_minutiae_inside_the_foreground(pattern: PatternClass) -> None:
    m = make_master(11, pattern)
    assert m.pattern_class is pattern
    image = render_master(m)
    assert image.std() > 30
    assert len(m.minutiae) > 10
    x, y = m.minutiae[:, 0].astype(int), m.minutiae[:, 1].astype(int)
    assert np.all(m.mask[y, x] > 0.5)
    assert np.all(np.abs(m.minutiae[:, 2]) <= np.pi)


def test_singular_points_follow_the_class() -> None:
    counts = {p: (len(make_master(5, p).cores), len(make_master(5, p).deltas)) for p in PatternClass}
    assert counts[PatternClass.ARCH] == (0, 0)
    assert counts[PatternClass.LEFT_LOOP] == (1, 1)
    assert counts[PatternClass.WHORL] == (2, 2)


def test_loops_put_their_delta_opposite_the_opening() -> None:
    right, left = make_master(4, PatternClass.RIGHT_LOOP), make_master(4, PatternClass.LEFT_LOOP)
    assert right.deltas[0, 0] < right.cores[0, 0]
    assert left.deltas[0, 0] > left.cores[0, 0]


def test_pattern_class_frequencies_are_realistic() -> None:
    rng = np.random.default_rng(0)
    draws = Counter(pattern_class_for(rng, position) for _ in range(1000) for position in range(1, 11))
    share = {p: draws[p] / 10_000 for p in PatternClass}
    loops = share[PatternClass.LEFT_LOOP] + share[PatternClass.RIGHT_LOOP]
    arches = share[PatternClass.ARCH] + share[PatternClass.TENTED_ARCH]
    assert 0.55 < loops < 0.75
    assert 0.22 < share[PatternClass.WHORL] < 0.38
    assert 0.02 < arches < 0.09


def test_right_hand_favours_right_loops() -> None:
    rng = np.random.default_rng(1)
    right_hand = Counter(pattern_class_for(rng, 3) for _ in range(2000))
    left_hand = Counter(pattern_class_for(rng, 8) for _ in range(2000))
    assert right_hand[PatternClass.RIGHT_LOOP] > 5 * right_hand[PatternClass.LEFT_LOOP]
    assert left_hand[PatternClass.LEFT_LOOP] > 5 * left_hand[PatternClass.RIGHT_LOOP]


def test_pattern_class_for_rejects_unknown_positions() -> None:
    with pytest.raises(ValueError, match="finger_position"):
        pattern_class_for(np.random.default_rng(0), 11)


def test_fvc_folder_layout(tmp_path) -> None:
    from scomm.sim.ridges.calibration import write_fvc_folder

    write_fvc_folder(tmp_path, fingers=2, impressions=2, seed=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["101_1.png", "101_2.png", "102_1.png", "102_2.png"]


def test_capture_is_background_outside_the_contact_box() -> None:
    """Impressions render only inside the contact ellipse's bounding box; the ellipse must never leak out."""
    from scomm.sim.ridges.impressions import _draw_contact
    from scomm.sim.ridges.masks import soft_ellipse

    params = ImpressionParameters(contact_axes_spread=(0.7, 1.6), contact_offset=0.3)
    for seed in range(200):
        shape = (440, 400) if seed % 2 else (300, 500)
        contact = _draw_contact(np.random.default_rng(seed), shape, params)
        ellipse = soft_ellipse(shape, contact.centre, contact.axes, contact.angle, contact.edge)
        rows, cols = contact.box(shape)
        ellipse[rows, cols] = 0.0
        assert not ellipse.any()


@pytest.mark.parametrize("pattern", [PatternClass.ARCH, PatternClass.LEFT_LOOP, PatternClass.WHORL])
def test_compiled_orientation_matches_the_reference_formula(pattern: PatternClass) -> None:
    from scomm.sim.ridges import orientation as o
    from scomm.sim.ridges.fields import grid, smooth_field

    params, shape, centre = MasterParameters(), (440, 400), (205.0, 210.0)
    rng = np.random.default_rng(4)
    points = o.place_singular_points(rng, pattern, centre, params)
    state = rng.bit_generator.state
    theta = o.orientation_field(rng, pattern, points, centre, shape, params)
    rng.bit_generator.state = state
    x, y = grid(shape)
    height = rng.uniform(*params.arch_height)
    if pattern is PatternClass.ARCH:
        expected = o.arch_angle(x, y, centre, height, shape[1] * 0.28, shape[0] * 0.45)
    else:
        weight = params.top_arch_weight / (1.0 + np.exp((y - (points.cores[:, 1].min() - 35.0)) / 25.0))
        expected = o.zero_pole_angle(x, y, points) + weight * o.arch_angle(x, y, centre, 1.0, shape[1] * 0.3, shape[0] * 0.5)
    expected = expected + params.orientation_noise * smooth_field(rng, shape, params.field_cell * 3)
    assert np.abs(theta - expected).max() < 1e-12


def test_compiled_phase_pieces_match_their_definitions() -> None:
    from scomm.sim.ridges import phase

    rng = np.random.default_rng(5)
    h, w = 120, 100
    theta = np.cumsum(rng.normal(0, 0.02, (h, w)), axis=1)
    frequency = 0.1 + 0.01 * rng.random((h, w))
    tx, ty = np.cos(theta), np.sin(theta)
    sign = np.where(rng.random((h, w)) < 0.5, -1, 1).astype(np.int8)
    reference = phase.integrate_gradient(2 * np.pi * frequency * (-ty * sign), 2 * np.pi * frequency * (tx * sign))
    assert np.abs(phase.ridge_phase(frequency, tx, ty, sign) - reference).max() < 1e-3

    spots = rng.uniform(0, 100, (13, 2))
    polarity = np.where(rng.random(13) < 0.5, -1.0, 1.0)
    ys, xs = np.mgrid[0:h, 0:w]
    direct = sum(p * np.arctan2(ys - my, xs - mx) for (mx, my), p in zip(spots, polarity, strict=True))
    spiral = np.zeros((h, w))
    phase.add_spiral_phase(spiral, spots, polarity)
    assert np.abs(np.angle(np.exp(1j * (spiral - direct)))).max() < 1e-9
