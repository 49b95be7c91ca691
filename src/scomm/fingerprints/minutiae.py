"""Skeleton → minutiae: thinning, crossing numbers, ridge tracing and false-minutia removal."""

from __future__ import annotations

import numpy as np
from numba import njit

from scomm.fingerprints.parameters import ExtractionParameters

ENDING = 1
BIFURCATION = 2

# 8-neighbours in circular order starting north, as (dy, dx)
_DY = np.array([-1, -1, 0, 1, 1, 1, 0, -1], dtype=np.int64)
_DX = np.array([0, 1, 1, 1, 0, -1, -1, -1], dtype=np.int64)


def thin(binary: np.ndarray) -> np.ndarray:
    """One-pixel-wide skeleton (Zhang–Suen) of a binary ridge map."""
    return _zhang_suen(np.ascontiguousarray(binary, dtype=np.uint8))


@njit(cache=True)
def _zhang_suen(img):  # pragma: no cover - compiled
    h, w = img.shape
    sk = img.copy()
    sk[0, :] = 0
    sk[h - 1, :] = 0
    sk[:, 0] = 0
    sk[:, w - 1] = 0
    ys, xs = np.nonzero(sk)
    n = ys.shape[0]
    alive = np.ones(n, dtype=np.uint8)
    kill = np.zeros(n, dtype=np.uint8)
    changed = True
    while changed:
        changed = False
        for step in range(2):
            for i in range(n):
                kill[i] = 0
                if not alive[i]:
                    continue
                y = ys[i]
                x = xs[i]
                p2 = sk[y - 1, x]
                p3 = sk[y - 1, x + 1]
                p4 = sk[y, x + 1]
                p5 = sk[y + 1, x + 1]
                p6 = sk[y + 1, x]
                p7 = sk[y + 1, x - 1]
                p8 = sk[y, x - 1]
                p9 = sk[y - 1, x - 1]
                b = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9
                if b < 2 or b > 6:
                    continue
                a = ((p2 == 0 and p3 == 1) + (p3 == 0 and p4 == 1) + (p4 == 0 and p5 == 1)
                     + (p5 == 0 and p6 == 1) + (p6 == 0 and p7 == 1) + (p7 == 0 and p8 == 1)
                     + (p8 == 0 and p9 == 1) + (p9 == 0 and p2 == 1))
                if a != 1:
                    continue
                if step == 0:
                    if p2 * p4 * p6 != 0 or p4 * p6 * p8 != 0:
                        continue
                else:
                    if p2 * p4 * p8 != 0 or p2 * p6 * p8 != 0:
                        continue
                kill[i] = 1
            for i in range(n):
                if kill[i]:
                    sk[ys[i], xs[i]] = 0
                    alive[i] = 0
                    changed = True
        # most pixels die in the first passes: drop the dead ones so later passes scan only the
        # survivors, in the same order as before
        m = 0
        for i in range(n):
            if alive[i]:
                ys[m] = ys[i]
                xs[m] = xs[i]
                m += 1
        n = m
        alive[:n] = 1
    return sk


@njit(cache=True)
def _crossing(sk, y, x, dy, dx):  # pragma: no cover - compiled
    cn = 0
    for k in range(8):
        a = sk[y + dy[k], x + dx[k]]
        b = sk[y + dy[(k + 1) % 8], x + dx[(k + 1) % 8]]
        if a == 0 and b == 1:
            cn += 1
    return cn


@njit(cache=True)
def _trace(sk, visited, stamp, y, x, sy, sx, length, dy, dx):  # pragma: no cover - compiled
    """Follow the skeleton from (y, x) through (sy, sx). Returns end y, x, steps, stop kind.

    Stop kind: 0 ran the full length, 1 reached a ridge end, 2 reached another junction.
    """
    h, w = sk.shape
    py = sy
    px = sx
    visited[y, x] = stamp
    visited[py, px] = stamp
    for steps in range(1, length + 1):
        if py <= 0 or px <= 0 or py >= h - 1 or px >= w - 1:
            return py, px, steps, 1
        if _crossing(sk, py, px, dy, dx) >= 3:
            return py, px, steps, 2
        ny = -1
        nx = -1
        for k in range(8):
            qy = py + dy[k]
            qx = px + dx[k]
            if sk[qy, qx] == 1 and visited[qy, qx] != stamp:
                # prefer 4-neighbours so staircase corners are not skipped
                if ny < 0 or (k % 2 == 0 and (ny != py and nx != px)):
                    ny = qy
                    nx = qx
        if ny < 0:
            return py, px, steps, 1
        for k in range(8):
            qy = py + dy[k]
            qx = px + dx[k]
            if sk[qy, qx] == 1:
                visited[qy, qx] = stamp
        py = ny
        px = nx
    return py, px, length, 0


@njit(cache=True)
def _candidates(sk, allowed, length, dy, dx):  # pragma: no cover - compiled
    """All endings and bifurcations in ``allowed``: rows (x, y, angle, kind, stop, stop_x, stop_y, steps)."""
    h, w = sk.shape
    visited = np.zeros((h, w), dtype=np.int32)
    out = np.zeros((4096, 8), dtype=np.float64)
    n = 0
    stamp = 0
    for y in range(1, h - 1):
        for x in range(1, w - 1):
            if sk[y, x] == 0 or not allowed[y, x]:
                continue
            cn = _crossing(sk, y, x, dy, dx)
            if cn != 1 and cn != 3:
                continue
            if n >= out.shape[0]:
                return out[:n]
            vx = np.zeros(3)
            vy = np.zeros(3)
            nb = 0
            stop = 0.0
            stop_x = 0.0
            stop_y = 0.0
            steps = 0.0
            for k in range(8):
                a = sk[y + dy[k], x + dx[k]]
                b = sk[y + dy[(k + 1) % 8], x + dx[(k + 1) % 8]]
                if a == 0 and b == 1 and nb < 3:
                    kk = (k + 1) % 8
                    stamp += 1
                    for j in range(8):  # the other branches' first pixels are off limits
                        if sk[y + dy[j], x + dx[j]] == 1 and j != kk:
                            visited[y + dy[j], x + dx[j]] = stamp
                    ey, ex, st, kind = _trace(sk, visited, stamp, y, x, y + dy[kk], x + dx[kk], length, dy, dx)
                    vx[nb] = ex - x
                    vy[nb] = ey - y
                    if nb == 0:
                        stop = kind
                        stop_x = ex
                        stop_y = ey
                        steps = st
                    nb += 1
            if cn == 1:
                angle = np.arctan2(vy[0], vx[0])  # into the ridge body
                out[n, 3] = 1
            else:
                # the two fork branches are the closest pair; the angle points towards them,
                # i.e. away from the stem, which makes a bifurcation agree with its dual ending
                best = 0
                best_cos = -2.0
                for i in range(3):
                    j = (i + 1) % 3
                    ni = np.hypot(vx[i], vy[i]) + 1e-9
                    nj = np.hypot(vx[j], vy[j]) + 1e-9
                    c = (vx[i] * vx[j] + vy[i] * vy[j]) / (ni * nj)
                    if c > best_cos:
                        best_cos = c
                        best = (i + 2) % 3
                angle = np.arctan2(-vy[best], -vx[best])
                out[n, 3] = 2
            out[n, 0] = x
            out[n, 1] = y
            out[n, 2] = angle
            out[n, 4] = stop
            out[n, 5] = stop_x
            out[n, 6] = stop_y
            out[n, 7] = steps
            n += 1
    return out[:n]


def detect(skeleton: np.ndarray, allowed: np.ndarray, params: ExtractionParameters) -> np.ndarray:
    """Raw minutia candidates, see :func:`_candidates` for the columns."""
    return _candidates(skeleton, allowed, params.trace_length, _DY, _DX)


def refine_angles(cands: np.ndarray, ridge_angle: np.ndarray) -> np.ndarray:
    """Snap traced directions to the smoothed orientation field, keeping the traced sense.

    A 10-pixel trace quantises direction coarsely; the structure tensor is far more precise but
    only defined mod π, so the trace picks which of the two senses applies.
    """
    xs = cands[:, 0].astype(int)
    ys = cands[:, 1].astype(int)
    theta = ridge_angle[ys, xs].astype(np.float64)
    traced = cands[:, 2]
    flip = np.cos(traced - theta) < 0
    return np.mod(np.where(flip, theta + np.pi, theta), 2 * np.pi)


def remove_false(cands: np.ndarray, params: ExtractionParameters) -> np.ndarray:
    """Boolean keep-mask: drops spurs, short islands, bridges and broken-ridge pairs."""
    n = len(cands)
    keep = np.ones(n, dtype=bool)
    if n == 0:
        return keep
    xy = cands[:, :2]
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    endings = cands[:, 3] == ENDING
    # an ending whose ridge reaches a junction or another end within spur_length is an artefact,
    # and so is the minutia at the other end of that short piece of ridge
    short = endings & (cands[:, 4] > 0) & (cands[:, 7] < params.spur_length)
    if short.any():
        # all spur ends against all candidates at once (setting False commutes)
        stops = cands[short][:, 5:7]
        dd = np.hypot(xy[None, :, 0] - stops[:, 0, None], xy[None, :, 1] - stops[:, 1, None])
        keep[short] = False
        keep[(dd <= 2.0).any(axis=0)] = False
    keep &= ~(d < params.close_distance).any(axis=1)
    # two endings facing each other across a short gap are one broken ridge; the angle test is
    # evaluated only for the near ending pairs
    ang = cands[:, 2]
    ii, jj = np.nonzero(endings[:, None] & endings[None, :] & (d < params.break_distance))
    if len(ii):
        opposite = np.abs(np.cos(ang[ii] - ang[jj]) + 1.0) < (1.0 - np.cos(params.break_angle))
        keep[ii[opposite]] = False
    return keep
