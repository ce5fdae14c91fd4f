"""Peruvian-sounding people, shops, companies, addresses and phone numbers, drawn from a seed.

Every name is invented from common Peruvian first names, surnames, saints and street names;
no real chain or trademark is used.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from rumbo.core.peru import make_ruc

WOMEN = (
    "Rosa", "María", "Juana", "Carmen", "Luz", "Ana", "Julia", "Elena", "Gladys", "Flor",
    "Milagros", "Yolanda", "Rocío", "Patricia", "Sonia", "Maritza", "Teresa", "Nelly", "Silvia",
    "Lucía", "Jessica", "Karina", "Katherine", "Diana", "Marleny", "Betty", "Norma", "Eva",
    "Delia", "Hilda", "Lourdes", "Victoria", "Rosario", "Susana", "Giovanna", "Pilar", "Liliana",
)  # fmt: skip
MEN = (
    "José", "Juan", "Luis", "Carlos", "Jorge", "Víctor", "Miguel", "César", "Pedro", "Manuel",
    "Julio", "Raúl", "Walter", "Wilmer", "Edwin", "Hugo", "Alberto", "Segundo", "Percy", "Jhon",
    "Elmer", "Fredy", "Marco", "Rubén", "Óscar", "Javier", "Ricardo", "Santiago", "Félix",
    "Gregorio", "Hernán", "Teodoro", "Máximo", "Américo", "Ángel", "Roberto", "Daniel",
)  # fmt: skip
SURNAMES = (
    "Quispe", "Flores", "Sánchez", "Rodríguez", "García", "Rojas", "Huamán", "Mamani", "Chávez",
    "Ramos", "Torres", "Vásquez", "Díaz", "Castillo", "Mendoza", "Ramírez", "Gonzales", "López",
    "Espinoza", "Pérez", "Condori", "Gutiérrez", "Romero", "Cruz", "Ruiz", "Vargas", "Salazar",
    "Cárdenas", "Paredes", "Apaza", "Huanca", "Choque", "Tito", "Chura", "Palomino", "Villanueva",
    "Guerrero", "Medina", "Aguilar", "Herrera", "Castro", "Ríos", "Morales", "Silva", "Reyes",
    "Núñez", "Vega", "Córdova", "Soto", "Ticona", "Zapata", "Alvarado", "Cáceres", "Carrasco",
    "Ccahuana", "Yupanqui", "Inga", "Luna", "Tapia", "Valdivia", "Ayala", "Saavedra", "Arana",
    "Poma", "Calderón", "Bustamante", "Zevallos", "Pacheco", "Velásquez", "Cueva", "Olivares",
)  # fmt: skip
SAINTS = (
    "San Martín", "Santa Rosa", "San José", "San Judas Tadeo", "Señor de los Milagros",
    "Virgen de la Candelaria", "Virgen de Chapi", "Señor de Luren", "Virgen de Fátima",
    "San Pedro", "Santa Lucía", "Virgen de la Puerta", "Señor de Sipán", "San Juan Bautista",
    "Virgen del Carmen", "Sagrado Corazón", "San Francisco", "Señor Cautivo", "San Antonio",
)  # fmt: skip
MOTTOS = (
    "El Progreso", "La Esperanza", "Los Andes", "El Sol", "La Unión", "El Triunfo", "Mi Perú",
    "La Bendición", "Dos Hermanos", "Las Palmeras", "El Bosque", "La Familia", "Nuevo Amanecer",
    "El Rey", "El Ahorro", "La Económica", "Mi Barrio", "La Amistad", "El Paisa", "La Esquina",
    "El Chalán", "Los Portales", "La Fortaleza", "El Inca", "Mi Tierra", "El Dorado", "La Perla",
    "Santa Fe", "El Milagro", "La Norteñita", "El Buen Precio", "Tres Estrellas", "La Cabaña",
)  # fmt: skip
STREETS = (
    "Grau", "Bolognesi", "Túpac Amaru", "Los Incas", "Arequipa", "Tacna", "Huánuco",
    "José Gálvez", "Sáenz Peña", "Alfonso Ugarte", "Los Próceres", "Micaela Bastidas",
    "Manco Cápac", "Ramón Castilla", "San Martín", "Bolívar", "Leoncio Prado", "Cáceres",
    "Las Flores", "Los Álamos", "Los Pinos", "Lima", "Cusco", "Puno", "28 de Julio",
    "2 de Mayo", "Independencia", "Unión", "Libertad", "Huayna Cápac", "Pachacútec",
    "César Vallejo", "José Olaya", "Miguel Grau", "Santa Rosa", "Los Laureles", "Las Begonias",
    "Garcilaso de la Vega", "Ayacucho", "Junín", "Amazonas", "Mariscal Castilla", "Los Jazmines",
    "Chabuca Granda", "José Carlos Mariátegui", "Víctor Raúl Haya de la Torre", "Jorge Chávez",
)  # fmt: skip
NEIGHBOURHOODS = (
    "A.H. Los Olivos", "A.H. 10 de Octubre", "Urb. Santa Luzmila", "A.H. Nuevo Progreso",
    "Urb. San Juan", "Asoc. Las Palmeras", "P.J. El Porvenir", "Urb. La Alborada",
    "A.H. Villa Hermosa", "Coop. Las Vertientes", "Urb. Los Jardines", "A.H. Sol Naciente",
)  # fmt: skip
POSITIONS_OWNER = ("Propietario", "Propietaria")
POSITIONS_STAFF = (
    "Administrador", "Administradora", "Encargado de compras", "Encargada de compras",
    "Jefe de almacén", "Cajera", "Jefe de tienda", "Contadora",
)  # fmt: skip
CHANNEL_WORDS = {
    "bodega": ("Bodega",),
    "minimarket": ("Minimarket", "Market", "Minimarket"),
    "mayorista": ("Distribuidora", "Comercial", "Inversiones", "Mayorista"),
    "farmacia": ("Botica", "Farmacia", "Botica"),
    "restaurante": ("Pollería", "Restaurante", "Cevichería", "Chifa", "Picantería"),
    "panaderia": ("Panadería", "Panificadora"),
    "ferreteria": ("Ferretería",),
    "supermercado": ("Supermercados", "Supermercado"),
}
COMPANY_FORMS = ("S.A.C.", "E.I.R.L.", "S.R.L.", "S.A.C.", "E.I.R.L.")


def pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    """One of `options` (faster than rng.choice for a single draw)."""
    return options[int(rng.integers(len(options)))]


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    female: bool

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


def person(rng: np.random.Generator) -> Person:
    female = bool(rng.random() < 0.5)
    first = pick(rng, WOMEN if female else MEN)
    last = f"{pick(rng, SURNAMES)} {pick(rng, SURNAMES)}"
    return Person(first=first, last=last, female=female)


def ascii_slug(text: str) -> str:
    """'Ñuñez Huamán' → 'nunezhuaman' (for usernames and e-mail addresses)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def phone(rng: np.random.Generator) -> str:
    digits = rng.integers(0, 10, size=8)
    return "9{}{} {}{}{} {}{}{}".format(*digits)


def dni(rng: np.random.Generator) -> str:
    return f"{int(rng.integers(10_000_000, 79_999_999)):08d}"


def ruc_person(document: str) -> str:
    return make_ruc("10" + document)


def ruc_company(rng: np.random.Generator) -> str:
    return make_ruc(f"20{int(rng.integers(10_000_000, 61_000_000)):08d}")


def address(rng: np.random.Generator, town: str) -> str:
    """'Av. Túpac Amaru 1234, Comas' or, on the outskirts, 'Mz. B Lt. 12, A.H. Sol Naciente'."""
    roll = rng.random()
    if roll < 0.15:
        block = "ABCDEFGHJKLMN"[int(rng.integers(0, 13))]
        return f"Mz. {block} Lt. {int(rng.integers(1, 40))}, {pick(rng, NEIGHBOURHOODS)}, {town}"
    kind = "Av." if roll < 0.45 else ("Jr." if roll < 0.75 else "Calle")
    return f"{kind} {pick(rng, STREETS)} {int(rng.integers(100, 3000))}, {town}"


def shop_name(rng: np.random.Generator, channel: str, owner: Person, town: str) -> str:
    """A trade name in the style of its channel: 'Bodega Doña Rosa', 'Botica Santa Lucía'."""
    word = pick(rng, CHANNEL_WORDS[channel])
    roll = rng.random()
    if channel == "bodega" and roll < 0.35:
        return f"{word} {'Doña' if owner.female else 'Don'} {owner.first}"
    if channel == "supermercado":
        return f"{word} {pick(rng, MOTTOS)} de {town}" if roll < 0.5 else f"{word} {town}"
    if roll < 0.55:
        return f"{word} {pick(rng, SAINTS if roll < 0.3 else MOTTOS)}"
    if roll < 0.8:
        return f"{word} {owner.last.split()[0]}"
    return f"{word} {pick(rng, MOTTOS)}"


def company_name(rng: np.random.Generator, trade_name: str, owner: Person) -> str:
    """A legal name: 'Distribuidora Huamán E.I.R.L.', 'Inversiones Quispe Rojas S.A.C.'."""
    form = pick(rng, COMPANY_FORMS)
    roll = rng.random()
    if roll < 0.4:
        return f"{trade_name} {form}"
    if roll < 0.7:
        return f"Inversiones {owner.last} {form}"
    prefix = pick(rng, ("Comercial", "Corporación", "Negociaciones", "Grupo"))
    return f"{prefix} {owner.last.split()[0]} {form}"
