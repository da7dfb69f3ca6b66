"""Parametric L-bracket for mounting a 2020 aluminium extrusion to a panel.

Run directly to export ``bracket.stl`` and ``bracket.step``:

    python bracket.py --thickness 5 --width 30

All dimensions are in millimetres. The horizontal leg lies on the XY plane
and the vertical leg rises along +Z at x = 0.
"""
import argparse
from dataclasses import dataclass

import cadquery as cq


@dataclass
class BracketParams:
    width: float = 25.0          # along the extrusion (Y)
    leg_a: float = 40.0          # horizontal leg length (X)
    leg_b: float = 35.0          # vertical leg height (Z)
    thickness: float = 4.0
    hole_dia: float = 5.3        # clearance for M5
    cbore_dia: float = 9.5
    cbore_depth: float = 2.0
    inner_fillet: float = 3.0
    corner_radius: float = 4.0   # rounds the free ends of both legs
    gussets: bool = True


def _gusset(p: BracketParams, y_center: float) -> cq.Workplane:
    """Triangular stiffener in the XZ plane, overlapping both legs."""
    t = p.thickness
    size = 0.6 * min(p.leg_a, p.leg_b)
    profile = [(0, 0), (t + size, 0), (t + size, t), (t, t + size), (0, t + size)]
    return (
        cq.Workplane("XZ")
        .polyline(profile)
        .close()
        .extrude(t / 4.0, both=True)    # total gusset thickness t/2
        .translate((0, y_center, 0))
    )


def make_bracket(p: BracketParams) -> cq.Workplane:
    t = p.thickness
    if p.hole_dia >= p.cbore_dia:
        raise ValueError("counterbore must be larger than the hole")

    # Horizontal leg with a counterbored M5 hole halfway along its free length.
    hole_x = t + (p.leg_a - t) / 2.0
    base = (
        cq.Workplane("XY")
        .box(p.leg_a, p.width, t, centered=(False, True, False))
        .edges("|Z and >X")
        .fillet(p.corner_radius)
        .faces(">Z")
        .workplane(centerOption="ProjectedOrigin")
        .pushPoints([(hole_x, 0)])
        .cboreHole(p.hole_dia, p.cbore_dia, p.cbore_depth)
    )

    # Vertical leg with a slot for height adjustment.
    slot_len = max(p.leg_b - t - 2.0 * p.hole_dia, 1.5 * p.hole_dia)
    slot_z = t + (p.leg_b - t) / 2.0
    upright = (
        cq.Workplane("XY")
        .box(t, p.width, p.leg_b, centered=(False, True, False))
        .edges("|X and >Z")
        .fillet(p.corner_radius)
        .faces("<X")
        .workplane(centerOption="ProjectedOrigin")
        .center(0, slot_z)               # local y on the -X face is global +Z
        .slot2D(slot_len, p.hole_dia, angle=90)
        .cutThruAll()
    )

    body = base.union(upright)

    # Round the inside corner where the legs meet to relieve stress.
    body = body.edges(cq.selectors.NearestToPointSelector((t, 0, t))).fillet(p.inner_fillet)

    if p.gussets:
        y_edge = p.width / 2.0 - t / 4.0
        body = body.union(_gusset(p, y_edge)).union(_gusset(p, -y_edge))

    return body


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--width", type=float, default=BracketParams.width)
    ap.add_argument("--thickness", type=float, default=BracketParams.thickness)
    ap.add_argument("--no-gussets", action="store_true")
    ap.add_argument("--out", default="bracket", help="output file stem")
    args = ap.parse_args()

    params = BracketParams(width=args.width, thickness=args.thickness, gussets=not args.no_gussets)
    part = make_bracket(params)
    cq.exporters.export(part, f"{args.out}.stl", tolerance=0.05, angularTolerance=0.1)
    cq.exporters.export(part, f"{args.out}.step")
    print(f"wrote {args.out}.stl and {args.out}.step")


if __name__ == "__main__":
    main()
