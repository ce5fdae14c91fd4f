from rumbo.core.names import proper


def test_place_names_keep_their_particles_in_lower_case():
    assert proper("SAN JUAN DE LURIGANCHO") == "San Juan de Lurigancho"
    assert proper("VILLA MARIA DEL TRIUNFO") == "Villa Maria del Triunfo"
    assert proper("LA VICTORIA") == "La Victoria"
    assert proper("  EL  PORVENIR ") == "El Porvenir"
