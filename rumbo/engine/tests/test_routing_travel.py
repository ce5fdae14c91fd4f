import numpy as np
import pytest

from rumbo.engine.geo import haversine_km
from rumbo.engine.routing import StraightLineTravelModel, TravelMatrix

# Plaza de Armas de Lima, Miraflores (Parque Kennedy), and Huaral (rural, 70 km north).
LAT = [-12.0464, -12.1211, -11.4955]
LON = [-77.0305, -77.0297, -77.2078]


def test_a_leg_is_the_straight_line_times_the_circuity_factor():
    model = StraightLineTravelModel(circuity=1.4)
    matrix = model.matrix(LAT, LON, [True, True, False])
    straight = haversine_km(LAT[0], LON[0], LAT[1], LON[1])
    assert matrix.distance_km[0, 1] == pytest.approx(1.4 * straight)
    assert np.diag(matrix.distance_km).tolist() == [0.0, 0.0, 0.0]


def test_urban_legs_are_driven_at_the_urban_speed_and_any_rural_end_makes_a_leg_rural():
    model = StraightLineTravelModel(urban_kmh=20, rural_kmh=60)
    matrix = model.matrix(LAT, LON, [True, True, False])
    assert matrix.duration_min[0, 1] == pytest.approx(matrix.distance_km[0, 1] / 20 * 60)
    assert matrix.duration_min[0, 2] == pytest.approx(matrix.distance_km[0, 2] / 60 * 60)
    assert matrix.duration_min[2, 1] == pytest.approx(matrix.distance_km[2, 1] / 60 * 60)


def test_access_time_is_added_to_every_leg_between_two_places_but_not_to_staying_put():
    plain = StraightLineTravelModel().matrix(LAT, LON, [True, True, True])
    parked = StraightLineTravelModel(access_min=4).matrix(LAT, LON, [True, True, True])
    assert parked.duration_min[0, 1] - plain.duration_min[0, 1] == pytest.approx(4)
    assert parked.duration_min[1, 1] == 0


@pytest.mark.parametrize(
    "kwargs", [{"circuity": 0.9}, {"urban_kmh": 0}, {"rural_kmh": -5}, {"access_min": -1}]
)
def test_impossible_parameters_are_refused(kwargs):
    with pytest.raises(ValueError):
        StraightLineTravelModel(**kwargs)


def test_one_urban_flag_is_needed_per_point():
    with pytest.raises(ValueError):
        StraightLineTravelModel().matrix(LAT, LON, [True, False])


def test_a_travel_matrix_must_be_square_and_non_negative():
    with pytest.raises(ValueError):
        TravelMatrix(np.zeros((2, 3)), np.zeros((2, 3)))
    with pytest.raises(ValueError):
        TravelMatrix(-np.ones((2, 2)), np.zeros((2, 2)))
