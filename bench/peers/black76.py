"""The numpy peer of bench/revalue.bench.ts: the same book under the same scenarios, Black-76
with the kernel's smile lookup, vol shock, floors and ageing, summed per scenario; the normal
CDF is scipy.special.ndtr (numpy has none).
  broadcast  every (option, scenario) pair at once, as (options x scenarios) arrays
  loop       a Python loop over the options, each one's scenarios as numpy arrays
Usage: python3 black76.py VARIANT INPUT OUTPUT MIN_RUNS BUDGET_SECONDS (as problem.h's peers);
prints one JSON line: variant, version, runs, medianNs (ns per run, time.perf_counter_ns)."""
import json
import sys
import time

import numpy as np
import scipy
from scipy.special import ndtr

HEADER, OPT_COLUMNS, SCEN_PLANES = 8, 9, 5


def read_problem(path):
    d = np.fromfile(path, dtype="<f8")
    n_opt, n_scen, n_und, slots = (int(v) for v in d[:4])
    p = {"n_opt": n_opt, "n_scen": n_scen, "dt": d[4], "vol_floor": d[5]}
    at = HEADER
    for name in ("u", "f", "k", "t", "rate", "phi", "w", "vol_w", "ln_fk"):
        p[name] = d[at:at + n_opt]
        at += n_opt
    p["tables"] = d[at:at + n_opt * slots].reshape(n_opt, slots)
    at += n_opt * slots
    for name in ("x", "v", "floor", "node", "frac"):
        p[name] = d[at:at + n_und * n_scen].reshape(n_und, n_scen)
        at += n_und * n_scen
    if at != d.size:
        raise SystemExit(f"{path}: {d.size} values, expected {at}")
    p["u"] = p["u"].astype(np.intp)
    p["node"] = p["node"].astype(np.intp)
    return p


def values(p, o, m):
    """w * Black-76 value of option o (an index), or of options o (an index array: options down,
    scenarios across), in every scenario of its underlying."""
    col = (lambda a: a[o][:, None]) if np.ndim(o) else (lambda a: a[o])
    u = p["u"][o]
    t_left = col(p["t"]) - p["dt"]
    live = t_left > 0
    tables, node = p["tables"][o], p["node"][u]
    lo = np.take_along_axis(tables, node, axis=-1)
    hi = np.take_along_axis(tables, node + 1, axis=-1)
    vol = np.maximum(np.maximum((lo + p["frac"][u] * (hi - lo)) * (1 + col(p["vol_w"]) * p["v"][u]), p["floor"][u]), p["vol_floor"])
    sv = np.where(live, vol * np.sqrt(np.maximum(t_left, 0)), 1.0)
    d1 = (col(p["ln_fk"]) + p["x"][u]) / sv + 0.5 * sv
    f, k, phi = col(p["f"]) * m[u], col(p["k"]), col(p["phi"])
    price = np.exp(-col(p["rate"]) * np.maximum(t_left, 0)) * phi * (f * ndtr(phi * d1) - k * ndtr(phi * (d1 - sv)))
    return col(p["w"]) * np.where(live, price, np.maximum(phi * (f - k), 0))


def revalue_broadcast(p):
    return values(p, np.arange(p["n_opt"]), np.exp(p["x"])).sum(axis=0)


def revalue_loop(p):
    m = np.exp(p["x"])
    out = np.zeros(p["n_scen"])
    for o in range(p["n_opt"]):
        out += values(p, o, m)
    return out


def main():
    if len(sys.argv) != 6:
        raise SystemExit("usage: black76.py VARIANT INPUT OUTPUT MIN_RUNS BUDGET_SECONDS")
    variant, src, dst, min_runs, budget = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    revalue = {"broadcast": revalue_broadcast, "loop": revalue_loop}.get(variant)
    if revalue is None:
        raise SystemExit(f"black76.py: unknown variant {variant}")
    p = read_problem(src)
    out = revalue(p)
    times = []
    start = time.perf_counter_ns()
    while len(times) < 10_000 and (len(times) < min_runs or time.perf_counter_ns() - start < budget * 1e9):
        t0 = time.perf_counter_ns()
        out = revalue(p)
        times.append(time.perf_counter_ns() - t0)
    out.astype("<f8").tofile(dst)
    version = f"numpy {np.__version__}, scipy {scipy.__version__}"
    print(json.dumps({"variant": variant, "version": version, "runs": len(times), "medianNs": float(np.median(times))}))


if __name__ == "__main__":
    main()
