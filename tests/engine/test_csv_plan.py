"""The column plan answers what importing each column will do; the build agrees."""

import pytest

from engine.csv import CSVError, ImportPlan, build_dataset, load_table, read_csv

LISTINGS = """id,listed,city,sqft,code_id,has_pool,price
1,2024-01-05,Oslo,1850,a1,yes,412000
2,2024-01-09,Bergen,2100,b2,no,389000
3,2024-02-01,Oslo,,c3,no,301000
4,2024-02-11,Trondheim,1400,d4,yes,
5,2024-03-03,Bergen,3000,e5,yes,612000
"""


@pytest.fixture
def table(tmp_path):
    p = tmp_path / "listings.csv"
    p.write_text(LISTINGS)
    return load_table(p)


def test_the_suggested_plan_uses_the_numbers_and_predicts_the_last(table):
    plan, problem = ImportPlan.suggest(table)
    assert problem is None and plan.is_target("price")
    assert [n for n in table.names if plan.is_feature(n)] == ["sqft"]
    assert plan.kind("id") == "ID" and plan.kind("listed") == "date"
    assert plan.meaning("id") == "skipped (an identifier)"
    assert plan.meaning("city") == "skipped (tick to one-hot encode)"
    assert plan.meaning("price") == "the target"
    assert plan.missing_cells("sqft") == 1
    assert plan.missing_line() == "2 row(s) have a missing value (1 feature cell(s))"
    assert plan.summary() == (
        "Will import about 3 rows × 1 feature columns; target 'price' "
        "(regression → squared loss). Constant columns are dropped and listed."
    )


def test_ticking_columns_one_hot_encodes_text_and_keeps_numeric_ids(table):
    plan, _ = ImportPlan.suggest(table)
    for name in ("city", "id", "code_id", "listed"):
        assert plan.set_feature(name, True)
    assert plan.meaning("city") == "one-hot: 3 new columns"
    assert plan.meaning("code_id") == "one-hot: 5 new columns"  # a text ID
    assert plan.meaning("id") == "a feature"  # a numeric ID enters as a number
    assert plan.meaning("listed") == "days since 1970-01-01"
    ch = plan.choices()
    assert ch.features == ("id", "listed", "sqft")
    assert ch.onehot == ("city", "code_id")
    assert plan.n_feature_columns() == 3 + 3 + 5
    plan.missing = "mean"  # only the row without a price is lost
    assert plan.rows_kept() == 4
    ds, _ = build_dataset(table, ch)
    assert ds.X.shape[0] == 3  # built as planned: rows with a missing sqft dropped


def test_a_two_valued_target_is_classification_unless_the_loss_is_squared(table):
    plan, _ = ImportPlan.suggest(table)
    assert plan.set_target("has_pool") and plan.is_target("has_pool")
    assert plan.two_classes() and plan.is_classification()
    assert "two classes → logistic loss" in plan.summary()
    plan.loss = "squared"
    assert "regression → squared loss" in plan.summary()
    plan.set_feature("price", True)
    assert plan.set_target("price") and not plan.is_feature("price")


def test_an_empty_column_cannot_be_chosen(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("a,empty,y\n1,,1\n2,,2\n3,,4\n")
    plan, _ = ImportPlan.suggest(load_table(p))
    assert not plan.can_choose("empty")
    assert not plan.set_feature("empty", True) and not plan.set_target("empty")
    assert plan.meaning("empty") == "nothing: the column is empty"


def test_without_a_possible_target_the_plan_says_why_and_cannot_import(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("a,b\nx,y\nz,w\nq,r\n")
    plan, problem = ImportPlan.suggest(load_table(p), target="missing")
    assert "no numeric column to use as the target" in problem
    assert plan.target is None and not plan.can_import() and plan.summary() == ""


def test_a_text_id_as_the_target_is_refused_with_the_reason(tmp_path):
    p = tmp_path / "ids.csv"
    p.write_text("name_id,a,y\nx1,1,2\nx2,2,3\nx3,3,5\nx4,4,4\n")
    with pytest.raises(CSVError, match="holds text with 4 distinct values"):
        read_csv(p, "name_id")


def test_the_plan_says_why_it_cannot_import_and_offers_the_classes(tmp_path):
    p = tmp_path / "pets.csv"
    p.write_text("a,kind,n\n" + "".join(
        f"{i},{('cat', 'dog', 'eel')[i % 3]},{i % 4}\n" for i in range(12)
    ))  # fmt: skip
    plan, _ = ImportPlan.suggest(load_table(p), target="kind")
    assert plan.classes() == ("cat", "dog", "eel") and not plan.two_classes()
    assert not plan.can_import()
    assert plan.problem() == (
        "The target 'kind' has 3 classes (cat, dog, eel): choose its positive class "
        "(that class against the rest, logistic loss); text cannot be treated as a "
        "number."
    )
    assert "3 classes: choose the positive class" in plan.summary()
    plan.positive_class = "dog"
    assert plan.can_import() and plan.is_classification()
    assert "dog against the other 2 classes → logistic loss" in plan.summary()
    ds, _ = build_dataset(plan.table, plan.choices())
    assert ds.class_labels == ("not dog", "dog") and (ds.y == 1).sum() == 4
    # a target of a few whole numbers: a positive class, or squared loss
    assert plan.set_target("n") and plan.positive_class is None
    assert plan.classes() == ("0", "1", "2", "3")
    assert "or treat it as a number (squared loss)" in plan.problem()
    plan.loss = "squared"
    assert plan.can_import() and "regression → squared loss" in plan.summary()
    # nothing to learn from
    for name in plan.table.names:
        plan.set_feature(name, False)
    assert plan.problem().startswith("No feature column is used")


def test_two_text_classes_with_squared_loss_are_fitted_as_minus_one_and_one(table):
    plan, _ = ImportPlan.suggest(table)
    plan.set_target("has_pool")
    plan.loss = "squared"
    ds, report = build_dataset(table, plan.choices())
    assert ds.task == "regression" and set(ds.y) == {-1.0, 1.0}
    assert "no → −1, yes → +1, fitted as numbers (squared loss)" in report[-1]
