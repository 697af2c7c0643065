"""Bundled datasets, reproducible from a seed.

* ``houses``: the seed's example. 2,000 listings, 1,000 candidate features: 100 with
  readable names (square footage, bedrooms, proximity to schools, age of roof,
  fireplace, day of year listed, ...) and 900 pure-noise columns. Exactly 50 features
  drive the price; their coefficients are kept in ``true_coef`` so the app can score
  feature selection.
* ``correlated``: four groups of three features with correlation about 0.9 inside each
  group; in two groups all three members share one coefficient. L1 tends to keep one
  member of a group, Elastic Net keeps the group.
* ``diabetes``: the 442 x 10 data of the Least Angle Regression paper
  (``resources/diabetes.csv``, source and licence in ``resources/README.md``).
* ``two-features``: 200 rows, two correlated features, for the geometry picture.
* ``polynomial``: 30 noisy points from a smooth curve and 60 held-out ones; the
  features are the powers x, …, x^degree (:mod:`engine.polynomial`).
* ``two-classes``: 200 points of two overlapping classes in two features, for the
  decision boundary.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .data import DataError, Dataset
from .polynomial import DEFAULT_DEGREE, polynomial_dataset

__all__ = ["DATASETS", "RESOURCES", "dataset_names", "load_dataset"]

RESOURCES = Path(__file__).resolve().parent.parent / "resources"

# name, latent loadings (size, quality, age, location), idiosyncratic sd, kind, mean,
# sd, low, high, effect on price in dollars per standard deviation (0: irrelevant).
# kind: 'c' continuous, 'i' integer, 'b' binary (mean is the share of ones).
_HOUSE_FEATURES = [
    ("sqft_living", (1, 0, 0, 0), 0.25, "c", 1900, 650, 450, 8000, 52000),
    ("bedrooms", (0.8, 0, 0, 0), 0.6, "i", 3.2, 0.9, 1, 8, -6000),
    ("bathrooms", (0.75, 0.3, 0, 0), 0.6, "i", 2.1, 0.8, 1, 6, 9000),
    ("sqft_lot", (0.4, 0, 0, -0.3), 0.85, "c", 7500, 3500, 800, 40000, 11000),
    ("sqft_basement", (0.5, 0, 0, 0), 0.85, "c", 450, 400, 0, 3000, 7000),
    ("floors", (0.5, 0, -0.2, 0), 0.8, "i", 1.6, 0.6, 1, 3, 0),
    ("rooms_total", (0.9, 0, 0, 0), 0.4, "i", 6.5, 1.8, 2, 16, 0),
    ("garage_spaces", (0.5, 0.2, 0, -0.2), 0.8, "i", 1.6, 0.8, 0, 4, 6500),
    ("ceiling_height_ft", (0.2, 0.4, -0.2, 0), 0.85, "c", 8.6, 0.7, 7, 12, 4500),
    ("closet_count", (0.7, 0, 0, 0), 0.7, "i", 4, 1.5, 0, 12, 0),
    ("kitchen_quality", (0, 1, 0, 0), 0.6, "i", 3.1, 0.9, 1, 5, 21000),
    ("bath_quality", (0, 0.9, 0, 0), 0.6, "i", 3.0, 0.9, 1, 5, 8000),
    ("overall_condition", (0, 0.8, -0.4, 0), 0.5, "i", 5.5, 1.3, 1, 10, 15000),
    ("renovated_last_10y", (0, 0.6, 0.2, 0), 0.8, "b", 0.25, 0, 0, 1, 9500),
    ("hardwood_floors", (0, 0.6, 0, 0), 0.8, "b", 0.45, 0, 0, 1, 5500),
    ("granite_counters", (0, 0.7, 0, 0), 0.7, "b", 0.35, 0, 0, 1, 3500),
    ("central_air", (0.1, 0.4, -0.3, 0), 0.8, "b", 0.7, 0, 0, 1, 6000),
    ("solar_panels", (0, 0.3, -0.2, 0), 0.9, "b", 0.08, 0, 0, 1, 4000),
    ("smart_thermostat", (0, 0.5, -0.3, 0), 0.8, "b", 0.3, 0, 0, 1, 0),
    ("fireplace", (0.3, 0.3, 0, 0), 0.9, "b", 0.42, 0, 0, 1, 7500),
    ("pool", (0.3, 0.3, 0, -0.2), 0.85, "b", 0.12, 0, 0, 1, 8500),
    ("deck_sqft", (0.3, 0.3, 0, 0), 0.85, "c", 180, 150, 0, 1200, 3000),
    ("covered_porch", (0.2, 0.2, 0.2, 0), 0.9, "b", 0.4, 0, 0, 1, 0),
    ("sprinkler_system", (0.2, 0.3, 0, 0), 0.9, "b", 0.3, 0, 0, 1, 0),
    ("double_glazing", (0, 0.5, -0.3, 0), 0.8, "b", 0.6, 0, 0, 1, 2500),
    ("energy_rating", (0, 0.6, -0.4, 0), 0.6, "i", 5, 2, 1, 10, 5000),
    ("insulation_r_value", (0, 0.4, -0.4, 0), 0.8, "c", 30, 9, 11, 60, 0),
    ("year_built", (0, 0.3, -1, 0), 0.3, "i", 1978, 24, 1890, 2024, 9000),
    ("roof_age_years", (0, -0.3, 0.6, 0), 0.7, "i", 12, 7, 0, 40, -11000),
    ("hvac_age_years", (0, -0.3, 0.6, 0), 0.7, "i", 10, 6, 0, 35, -5500),
    ("water_heater_age_years", (0, -0.2, 0.5, 0), 0.85, "i", 8, 5, 0, 25, -2500),
    ("years_since_paint", (0, -0.3, 0.4, 0), 0.85, "i", 6, 4, 0, 25, -3000),
    ("foundation_issues", (0, -0.3, 0.4, 0), 0.85, "b", 0.07, 0, 0, 1, -14000),
    ("plumbing_age_years", (0, -0.2, 0.8, 0), 0.6, "i", 25, 15, 0, 100, 0),
    ("school_distance_km", (0, 0, 0, -0.8), 0.6, "c", 1.8, 1.2, 0.1, 9, -16000),
    ("school_rating", (0, 0.1, 0, 0.8), 0.6, "i", 6.5, 1.8, 1, 10, 19000),
    ("downtown_distance_km", (0, 0, 0, -0.7), 0.7, "c", 11, 6, 0.5, 40, -12000),
    ("transit_distance_km", (0, 0, 0, -0.5), 0.85, "c", 1.5, 1.0, 0.05, 8, -4500),
    ("park_within_1km", (0, 0, 0, 0.5), 0.85, "b", 0.55, 0, 0, 1, 4000),
    ("crime_index", (0, 0, 0, -0.8), 0.6, "c", 45, 18, 2, 100, -17000),
    ("walk_score", (0, 0, 0, 0.6), 0.8, "i", 55, 20, 0, 100, 6000),
    ("street_noise_db", (0, 0, 0, -0.3), 0.95, "c", 52, 8, 30, 80, -3500),
    ("flood_zone", (0, 0, 0, -0.2), 0.95, "b", 0.06, 0, 0, 1, -12500),
    ("view_quality", (0, 0.2, 0, 0.4), 0.85, "i", 1.2, 1.1, 0, 4, 10000),
    ("waterfront", (0, 0.1, 0, 0.3), 0.9, "b", 0.04, 0, 0, 1, 13000),
    ("lot_slope_pct", (0, 0, 0, 0), 1.0, "c", 5, 4, 0, 30, 0),
    ("hoa_fee_monthly", (0.2, 0.3, -0.3, 0.2), 0.8, "c", 120, 110, 0, 900, -2500),
    ("property_tax_rate_pct", (0, 0, 0, 0.3), 0.9, "c", 1.1, 0.3, 0.3, 2.5, -4000),
    ("neighborhood_income_k", (0, 0.1, 0, 0.8), 0.55, "c", 78, 25, 20, 250, 14000),
    ("hospital_distance_km", (0, 0, 0, -0.4), 0.9, "c", 6, 4, 0.3, 30, 0),
    ("grocery_distance_km", (0, 0, 0, -0.5), 0.85, "c", 1.6, 1.1, 0.1, 10, -3000),
    ("highway_distance_km", (0, 0, 0, 0), 1.0, "c", 3, 2.2, 0.1, 15, 0),
    ("airport_noise_zone", (0, 0, 0, -0.2), 0.95, "b", 0.05, 0, 0, 1, -6000),
    ("cul_de_sac", (0, 0, 0, 0.2), 0.95, "b", 0.15, 0, 0, 1, 4500),
    ("corner_lot", (0, 0, 0, 0), 1.0, "b", 0.18, 0, 0, 1, 0),
    ("days_on_market", (0, -0.2, 0, -0.2), 0.95, "i", 35, 25, 1, 200, -5000),
    ("price_reductions", (0, -0.2, 0, -0.2), 0.95, "i", 0.6, 0.8, 0, 5, -7000),
    ("day_of_year_listed", (0, 0, 0, 0), 1.0, "i", 183, 105, 1, 365, 0),
    ("listing_month", (0, 0, 0, 0), 1.0, "i", 6.5, 3.4, 1, 12, 0),
    ("listing_weekday", (0, 0, 0, 0), 1.0, "i", 3, 2, 0, 6, 0),
    ("listing_photos", (0.2, 0.3, 0, 0), 0.9, "i", 25, 10, 1, 80, 0),
    ("listing_description_words", (0.1, 0.2, 0, 0), 0.95, "i", 180, 70, 20, 600, 0),
    ("virtual_tour", (0, 0.2, -0.1, 0), 0.95, "b", 0.3, 0, 0, 1, 0),
    ("open_houses_held", (0, 0, 0, 0), 1.0, "i", 1.2, 1, 0, 6, 0),
    ("agent_experience_years", (0, 0, 0, 0), 1.0, "i", 11, 7, 0, 40, 0),
    ("agent_listings_this_year", (0, 0, 0, 0), 1.0, "i", 14, 9, 0, 60, 0),
    ("seller_age", (0, 0, 0.3, 0), 0.95, "i", 52, 13, 22, 95, 0),
    ("years_owned", (0, 0, 0.5, 0), 0.85, "i", 9, 7, 0, 50, 0),
    ("exterior_color_code", (0, 0, 0, 0), 1.0, "i", 5, 3, 1, 12, 0),
    ("front_door_color_code", (0, 0, 0, 0), 1.0, "i", 4, 2.5, 1, 9, 0),
    ("mailbox_style_code", (0, 0, 0, 0), 1.0, "i", 3, 1.5, 1, 6, 0),
    ("house_number_even", (0, 0, 0, 0), 1.0, "b", 0.5, 0, 0, 1, 0),
    ("street_name_length", (0, 0, 0, 0), 1.0, "i", 9, 3, 3, 20, 0),
    ("zip_last_digit", (0, 0, 0, 0), 1.0, "i", 4.5, 2.9, 0, 9, 0),
    ("lawn_ornaments", (0, 0, 0, 0), 1.0, "i", 1, 1.2, 0, 8, 0),
    ("trees_on_lot", (0.2, 0, 0.2, 0), 0.95, "i", 4, 3, 0, 20, 1500),
    ("fence", (0.1, 0.1, 0, 0), 0.95, "b", 0.55, 0, 0, 1, 0),
    ("shed", (0.2, 0, 0.1, 0), 0.95, "b", 0.3, 0, 0, 1, 0),
    ("attic_sqft", (0.5, 0, 0, 0), 0.85, "c", 300, 200, 0, 1500, 2000),
    ("laundry_room", (0.3, 0.3, 0, 0), 0.9, "b", 0.6, 0, 0, 1, 2500),
    ("home_office", (0.4, 0.2, -0.1, 0), 0.9, "b", 0.35, 0, 0, 1, 3000),
    ("walk_in_closet", (0.3, 0.4, 0, 0), 0.85, "b", 0.45, 0, 0, 1, 0),
    ("skylights", (0, 0.3, 0, 0), 0.95, "i", 0.5, 0.9, 0, 6, 0),
    ("security_system", (0, 0.3, -0.2, 0), 0.9, "b", 0.35, 0, 0, 1, 0),
    ("ev_charger", (0, 0.4, -0.3, 0), 0.85, "b", 0.1, 0, 0, 1, 2000),
    ("gas_stove", (0, 0.2, 0, 0), 0.95, "b", 0.5, 0, 0, 1, 0),
    ("dishwasher_age_years", (0, -0.2, 0.4, 0), 0.9, "i", 7, 4, 0, 25, 0),
    ("carpet_share_pct", (0, -0.4, 0.3, 0), 0.85, "c", 35, 20, 0, 100, 0),
    ("window_count", (0.8, 0, 0, 0), 0.6, "i", 14, 4, 4, 40, 0),
    ("outlet_count", (0.8, 0.1, -0.2, 0), 0.6, "i", 40, 12, 10, 120, 0),
    ("stairs_count", (0.4, 0, 0, 0), 0.9, "i", 1, 0.8, 0, 4, 0),
    ("chimney_count", (0.2, 0, 0.2, 0), 0.95, "i", 0.5, 0.6, 0, 3, 0),
    ("driveway_length_m", (0.2, 0, 0, -0.2), 0.95, "c", 12, 6, 2, 60, 0),
    ("mature_garden", (0, 0.2, 0.3, 0), 0.9, "b", 0.3, 0, 0, 1, 0),
    ("internet_speed_mbps", (0, 0, -0.2, 0.3), 0.9, "c", 300, 200, 10, 2000, 0),
    ("cell_signal_bars", (0, 0, 0, 0.2), 0.95, "i", 3.5, 1, 0, 5, 0),
    ("sunlight_hours", (0, 0, 0, 0), 1.0, "c", 6, 2, 1, 12, 0),
    ("basement_dampness", (0, -0.2, 0.3, 0), 0.9, "i", 1, 1, 0, 4, 0),
    ("bird_feeders", (0, 0, 0, 0), 1.0, "i", 0.7, 1, 0, 6, 0),
    ("guest_parking", (0, 0, 0, 0.1), 1.0, "b", 0.2, 0, 0, 1, 0),
]
HOUSES_N = 2000
HOUSES_D = 1000


def _houses(seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    n = HOUSES_N
    latent = rng.standard_normal((n, 4))
    cols, names, effects = [], [], []
    for name, load, idio, kind, mean, sd, lo, hi, effect in _HOUSE_FEATURES:
        u = latent @ np.asarray(load, dtype=float) + idio * rng.standard_normal(n)
        u = (u - u.mean()) / u.std()
        if kind == "b":
            x = (u > np.quantile(u, 1 - mean)).astype(float)
        else:
            x = np.clip(mean + sd * u, lo, hi)
            if kind == "i":
                x = np.round(x)
        cols.append(x)
        names.append(name)
        effects.append(effect)
    n_noise = HOUSES_D - len(cols)
    noise = rng.standard_normal((n, n_noise))
    X = np.column_stack(cols + [noise])
    names += [f"noise_{j:03d}" for j in range(len(cols) + 1, HOUSES_D + 1)]
    effects = np.concatenate([effects, np.zeros(n_noise)])
    coef = effects / X.std(axis=0)  # dollars per unit of each raw feature
    price = 120_000 + X @ coef - X.mean(axis=0) @ coef + 280_000
    price += 30_000 * rng.standard_normal(n)
    return Dataset(
        X,
        np.round(price, -2),
        tuple(names),
        target_name="price",
        task="regression",
        name="houses",
        true_coef=coef,
        description=(
            "2,000 house listings with 1,000 candidate features; 50 of them drive "
            "the price, the other 950 are irrelevant (day of year listed, door colour, "
            "and 900 pure-noise columns). Synthetic, from a seed."
        ),
    )


def _correlated(seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    n, groups, size, n_noise = 150, "ABCD", 3, 8
    group_coef = {"A": 3.0, "B": -2.0, "C": 0.0, "D": 0.0}
    rho = 0.9
    cols, names, coef = [], [], []
    for g in groups:
        shared = rng.standard_normal(n)
        for k in range(1, size + 1):
            cols.append(
                np.sqrt(rho) * shared + np.sqrt(1 - rho) * rng.standard_normal(n)
            )
            names.append(f"{g}{k}")
            coef.append(group_coef[g])
    for k in range(1, n_noise + 1):
        cols.append(rng.standard_normal(n))
        names.append(f"noise{k}")
        coef.append(0.0)
    X = np.column_stack(cols)
    coef = np.array(coef)
    y = X @ coef + 2.0 * rng.standard_normal(n)
    return Dataset(
        X,
        y,
        tuple(names),
        target_name="y",
        name="correlated",
        true_coef=coef,
        description=(
            "Four groups of three features correlated at about 0.9 (A1–A3, …, D1–D3) "
            "and 8 noise features. All members of group A share the coefficient 3, "
            "of group B −2; C and D are irrelevant. L1 tends to keep one member of a "
            "group, Elastic Net the whole group."
        ),
    )


def _two_features(seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    n = 200
    x1 = rng.standard_normal(n)
    x2 = 0.5 * x1 + np.sqrt(1 - 0.25) * rng.standard_normal(n)
    coef = np.array([2.0, 0.6])
    X = np.column_stack([x1, x2])
    y = X @ coef + 1.0 * rng.standard_normal(n)
    return Dataset(
        X,
        y,
        ("x1", "x2"),
        target_name="y",
        name="two-features",
        true_coef=coef,
        description=(
            "200 rows, two features correlated at 0.5, y = 2·x1 + 0.6·x2 + noise: "
            "small enough to draw the loss contours and the constraint regions."
        ),
    )


def _two_classes(seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    n = 200
    x1 = rng.standard_normal(n)
    x2 = 0.3 * x1 + np.sqrt(1 - 0.09) * rng.standard_normal(n)
    coef = np.array([2.5, -1.5])
    X = np.column_stack([x1, x2])
    p = 1.0 / (1.0 + np.exp(-(X @ coef + 0.3)))
    y = np.where(rng.uniform(size=n) < p, 1.0, -1.0)
    return Dataset(
        X,
        y,
        ("x1", "x2"),
        target_name="class",
        task="classification",
        name="two-classes",
        true_coef=coef,
        class_labels=("A", "B"),
        description=(
            "200 points of two overlapping classes A and B in two features "
            "correlated at 0.3; P(B) = σ(2.5·x1 − 1.5·x2 + 0.3): small enough to "
            "draw the decision boundary and the probabilities."
        ),
    )


def _diabetes(seed: int) -> Dataset:
    from .csv import read_csv

    ds, _ = read_csv(RESOURCES / "diabetes.csv", target="progression")
    return Dataset(
        ds.X,
        ds.y,
        ds.feature_names,
        target_name=ds.target_name,
        name="diabetes",
        description=(
            "442 diabetes patients, 10 baseline measurements (age, sex, BMI, blood "
            "pressure, six blood serum values); target: disease progression after one "
            "year. The data of the Least Angle Regression paper (Efron et al., 2004)."
        ),
    )


DATASETS = {
    "houses": _houses,
    "correlated": _correlated,
    "diabetes": _diabetes,
    "two-features": _two_features,
    "polynomial": polynomial_dataset,
    "two-classes": _two_classes,
}


def dataset_names() -> tuple[str, ...]:
    return tuple(DATASETS)


def load_dataset(name: str, seed: int = 0, degree: int | None = None) -> Dataset:
    """The bundled dataset ``name``; synthetic ones are generated from ``seed``.
    ``degree``: the polynomial's (None: its default), for ``polynomial`` only."""
    try:
        make = DATASETS[name]
    except KeyError:
        raise DataError(
            f"no bundled dataset {name!r}; choose one of {', '.join(DATASETS)}"
        ) from None
    source = {"kind": "bundled", "name": name, "seed": seed}
    if name == "polynomial":
        ds = polynomial_dataset(seed, DEFAULT_DEGREE if degree is None else degree)
        source["degree"] = ds.polynomial_degree
    elif degree is not None:
        raise DataError(
            f"only the polynomial dataset has a degree, not {name!r} "
            "(use --dataset polynomial)"
        )
    else:
        ds = make(seed)
    object.__setattr__(ds, "source", source)
    return ds
