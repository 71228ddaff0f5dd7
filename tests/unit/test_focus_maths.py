"""Focus maths: the score rises with sharpness and ignores the light; regions stay inside."""

import cv2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eyepi_gui.adapters.cameras import scene
from eyepi_gui.adapters.cameras.sim import _demo_scene
from eyepi_gui.domain import focus
from eyepi_gui.domain.roi import MIN_ROI_PX, Roi, make_roi, roi_around
from eyepi_gui.errors import InvalidInput


@pytest.fixture(scope="module")
def picture():
    return scene.render_scene(_demo_scene(), 1280, 720)


def raw_laplacian_variance(image, roi):
    left, top, w, h = roi.pixels(image.shape[1], image.shape[0])
    grey = cv2.cvtColor(image[top : top + h, left : left + w], cv2.COLOR_RGB2GRAY)
    return cv2.Laplacian(grey, cv2.CV_64F).var()


def test_the_score_falls_as_blur_grows(picture):
    scores = [focus.focus_score(scene.lens_blur(picture, s), Roi()) for s in (0, 0.5, 1, 2, 4)]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > 20 * scores[-1]


def test_the_score_ignores_the_light_where_the_plain_variance_does_not(picture):
    dim = (picture * 0.5).astype(np.uint8)
    bright, dark = focus.focus_score(picture, Roi()), focus.focus_score(dim, Roi())
    assert abs(dark / bright - 1) < 0.1
    assert raw_laplacian_variance(dim, Roi()) < 0.35 * raw_laplacian_variance(picture, Roi())


def test_stills_of_different_sizes_score_alike():
    """Sensors integrate light over each pixel, so compare area-sampled renders: 2560 px and
    4056 px wide pictures of the same scene, both reduced to the working width."""
    big = scene.render_scene(_demo_scene(), 2560, 1440)
    huge = scene.render_scene(_demo_scene(), 4056, 2281)
    ratio = focus.focus_score(huge, Roi()) / focus.focus_score(big, Roi())
    assert 0.8 < ratio < 1.25


def test_a_flat_or_black_region_scores_zero():
    assert focus.focus_score(np.full((100, 100, 3), 90, np.uint8), Roi()) == 0.0
    assert focus.focus_score(np.zeros((100, 100), np.uint8), Roi()) == 0.0


def test_grey_and_rgb_of_the_same_picture_score_the_same(picture):
    assert focus.focus_score(focus.grey(picture), Roi()) == focus.focus_score(picture, Roi())


def test_a_png_still_scores_exactly_as_its_pixels(picture):
    png = cv2.imencode(".png", cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))[1].tobytes()
    assert focus.still_score({"png": png, "jpg": b"ignored"}, Roi()) == focus.focus_score(
        picture, Roi()
    )


def test_a_jpeg_still_scores_near_its_pixels(picture):
    jpeg = cv2.imencode(".jpg", cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))[1].tobytes()
    ratio = focus.still_score({"jpg": jpeg}, Roi()) / focus.focus_score(picture, Roi())
    assert 0.8 < ratio < 1.2


def test_an_undecodable_still_has_no_score():
    assert focus.still_score({"jpg": b"\xff\xd8 not really"}, Roi()) is None
    assert focus.still_score({"nef": b"raw"}, Roi()) is None


def test_peaking_marks_edges_not_flat_areas():
    image = np.full((200, 200, 3), 100, np.uint8)
    cv2.rectangle(image, (50, 50), (150, 150), (250, 250, 250), -1)
    mask = focus.peaking_mask(image)
    assert mask[100, 100] == 0 and mask[10, 10] == 0
    assert mask[48:53, 100].any()
    marked = focus.overlay_peaking(image, mask)
    assert (marked[mask > 0] == (255, 0, 255)).all() and (
        marked[mask == 0] == image[mask == 0]
    ).all()


def test_peaking_marks_nothing_in_pure_noise_of_low_amplitude():
    rng = np.random.default_rng(1)
    noise = (128 + rng.integers(-2, 3, (120, 160, 3))).astype(np.uint8)
    assert not focus.peaking_mask(noise).any()


def test_histogram_counts_clipped_highlights():
    image = np.zeros((100, 100, 3), np.uint8)
    image[:24] = 255  # every 2nd row is sampled: 12 of 50 rows are white
    hist = focus.histogram(image)
    assert len(hist.bins) == focus.HISTOGRAM_BINS and sum(hist.bins) == 50 * 50
    assert hist.clipped == pytest.approx(0.24)
    assert (hist.bins[0], hist.bins[-1]) == (38 * 50, 12 * 50)


@given(
    x=st.floats(0, 0.999),
    y=st.floats(0, 0.999),
    w=st.floats(0.001, 1),
    h=st.floats(0.001, 1),
    width=st.integers(1, 5000),
    height=st.integers(1, 5000),
)
def test_region_pixels_always_lie_inside_the_frame(x, y, w, h, width, height):
    left, top, rw, rh = Roi(x, y, w, h).pixels(width, height)
    assert left >= 0 and left + rw <= width and top >= 0 and top + rh <= height
    assert rw >= min(width, MIN_ROI_PX) and rh >= min(height, MIN_ROI_PX)


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ((0.1, 0.1, 0.2), "four numbers"),
        ((float("nan"), 0, 0.5, 0.5), "numbers"),
        ((-0.1, 0, 0.5, 0.5), "left and top"),
        ((1.0, 0, 0.5, 0.5), "left and top"),
        ((0, 0, 0, 0.5), "width and height"),
        ((0, 0, 0.5, 1.5), "width and height"),
        ((0.8, 0, 0.5, 0.5), "inside the frame"),
    ],
)
def test_bad_regions_are_refused_naming_the_field(values, says):
    with pytest.raises(InvalidInput) as refused:
        make_roi(values)
    assert refused.value.field == "roi" and says in refused.value.reason


@given(cx=st.floats(-1, 2), cy=st.floats(-1, 2), w=st.floats(0, 2), h=st.floats(0, 2))
def test_a_region_around_any_point_is_a_valid_region(cx, cy, w, h):
    roi = roi_around(cx, cy, w, h)
    assert make_roi(roi.as_tuple()) == roi
