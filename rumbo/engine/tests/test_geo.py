import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from rumbo.engine.geo import distance_matrix_km, haversine_km

lat = st.floats(min_value=-60, max_value=60)
lon = st.floats(min_value=-180, max_value=180)


def test_lima_to_arequipa_is_about_765_km():
    # Plaza de Armas of Lima and of Arequipa.
    assert abs(float(haversine_km(-12.0464, -77.0428, -16.3989, -71.5369)) - 765) < 5


def test_one_degree_of_latitude_is_about_111_km():
    assert abs(float(haversine_km(0, 0, 1, 0)) - 111.2) < 0.1


@given(lat, lon, lat, lon)
def test_distance_is_symmetric_and_never_negative(a, b, c, d):
    there, back = float(haversine_km(a, b, c, d)), float(haversine_km(c, d, a, b))
    assert there >= 0 and abs(there - back) < 1e-9


def test_the_matrix_is_symmetric_with_a_zero_diagonal():
    m = distance_matrix_km([-12.0, -12.1, -8.1], [-77.0, -77.05, -79.0])
    assert m.shape == (3, 3)
    assert np.allclose(m, m.T) and np.allclose(np.diag(m), 0)


def test_areas_that_share_a_boundary_vertex_are_neighbours():
    from rumbo.engine.geo import shared_vertex_adjacency

    square = [[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]]
    right = [[(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 0.0)]]
    far = [[(5.0, 5.0), (6.0, 5.0), (6.0, 6.0), (5.0, 5.0)]]
    graph = shared_vertex_adjacency([square, right, far, []]).toarray()
    assert graph.tolist() == [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    assert shared_vertex_adjacency([far]).toarray().tolist() == [[0]]
