"""Two-part electronics enclosure: open-top shell with corner screw bosses
and a flat lid with countersunk screw holes and vent slots.

    python enclosure.py            # writes enclosure_base.stl, enclosure_lid.stl

Sized for a 60 x 40 mm PCB by default; all dimensions in millimetres.
"""
from dataclasses import dataclass

import cadquery as cq


@dataclass
class EnclosureParams:
    length: float = 70.0
    width: float = 50.0
    height: float = 25.0          # base height, lid not included
    wall: float = 2.0
    corner_radius: float = 5.0
    boss_dia: float = 7.0
    pilot_dia: float = 2.5        # M3 self-tapping into plastic
    clearance_dia: float = 3.4
    csk_dia: float = 6.5
    lid_thickness: float = 2.5
    usb_w: float = 12.0
    usb_h: float = 7.0
    usb_z: float = 8.0            # USB cutout centre height above the floor
    vent_len: float = 18.0
    vent_w: float = 2.0
    vent_pitch: float = 5.0
    vent_count: int = 5


def boss_points(p: EnclosureParams):
    dx = p.length / 2.0 - p.wall - p.boss_dia / 2.0
    dy = p.width / 2.0 - p.wall - p.boss_dia / 2.0
    return [(dx, dy), (-dx, dy), (-dx, -dy), (dx, -dy)]


def make_base(p: EnclosureParams) -> cq.Workplane:
    body = (
        cq.Workplane("XY")
        .box(p.length, p.width, p.height, centered=(True, True, False))
        .edges("|Z")
        .fillet(p.corner_radius)
        .faces(">Z")
        .shell(-p.wall)
    )

    boss_h = p.height - p.wall
    bosses = (
        cq.Workplane("XY")
        .workplane(offset=p.wall)
        .pushPoints(boss_points(p))
        .circle(p.boss_dia / 2.0)
        .extrude(boss_h)
    )
    pilots = (
        cq.Workplane("XY")
        .workplane(offset=p.wall + 1.0)   # keep 1 mm under the pilot holes closed
        .pushPoints(boss_points(p))
        .circle(p.pilot_dia / 2.0)
        .extrude(boss_h)
    )
    body = body.union(bosses).cut(pilots)

    # USB connector opening in the front (-Y) wall.
    body = (
        body.faces("<Y")
        .workplane(centerOption="CenterOfBoundBox")
        .center(0, p.usb_z + p.wall - p.height / 2.0)
        .rect(p.usb_w, p.usb_h)
        .cutBlind(-2.0 * p.wall)
    )
    return body


def make_lid(p: EnclosureParams) -> cq.Workplane:
    lid = (
        cq.Workplane("XY")
        .box(p.length, p.width, p.lid_thickness, centered=(True, True, False))
        .edges("|Z")
        .fillet(p.corner_radius)
        .faces(">Z")
        .edges()
        .chamfer(0.5)                      # soften the top perimeter only
        .faces(">Z")
        .workplane(centerOption="ProjectedOrigin")
        .pushPoints(boss_points(p))
        .cskHole(p.clearance_dia, p.csk_dia, 90)
    )
    lid = (
        lid.faces(">Z")
        .workplane(centerOption="ProjectedOrigin")
        .rarray(1.0, p.vent_pitch, 1, p.vent_count)
        .slot2D(p.vent_len, p.vent_w, 0)
        .cutThruAll()
    )
    return lid


if __name__ == "__main__":
    params = EnclosureParams()
    cq.exporters.export(make_base(params), "enclosure_base.stl", tolerance=0.05)
    cq.exporters.export(make_lid(params), "enclosure_lid.stl", tolerance=0.05)
    print("wrote enclosure_base.stl and enclosure_lid.stl")
