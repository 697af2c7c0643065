#!/bin/sh
# The README's figures, regenerated headless from the command line (the way a course's
# figures can be): sh resources/screenshots/make_figures.sh   (after `make test` or
# `make run` has set up .venv). geometry-side-by-side.png and monte-carlo.png are
# window grabs of the geometry pane and the Monte Carlo dialog, and geometry-lq.png an
# export of the geometry pane (region: Lq ball, q = 0.5, t = 1.6, your own loss, on
# two-features, File › Export figure › Geometry); they are not made here.
set -e
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
OUT=resources/screenshots

# the whole window at a projector's 1920 × 1080 and at a laptop's 1366 × 768
$PY main.py --headless --dataset houses --penalty l1 --lam 3975.42 --validation 0.2 \
    --steps 400 --size 1920x1080 --screenshot "$OUT/houses-l1.png"
$PY main.py --headless --dataset diabetes --penalty l1 --lam 2.24068 --validation 0.2 \
    --steps 200 --size 1366x768 --screenshot "$OUT/diabetes-l1.png"
$PY main.py --headless --lesson feature-selection --size 1366x768 \
    --screenshot "$OUT/lesson.png"
$PY main.py --headless --dataset diabetes --penalty l1 --lam 9.032 --steps 40 \
    --every 1 --animate "$OUT/diabetes-l1-weights.gif" --pane weights
for pane in path cv; do
    $PY main.py --headless --lesson which-lambda --pane $pane --scale 2 \
        --screenshot "$OUT/which-lambda-$pane.png"
done
# issue 15: the fit of the polynomial and gradient descent over the ridge path
$PY main.py --headless --dataset polynomial --penalty l1 --lam 0.02 --solve \
    --size 1920x1080 --pane fit --screenshot "$OUT/fit-polynomial.png"
$PY main.py --headless --lesson early-stopping --size 1920x1080 --pane path \
    --screenshot "$OUT/early-stopping-path.png"
# issue 16: the three penalties side by side, the stability lab, which penalty wins
$PY main.py --headless --dataset correlated --compare --pane compare --size 1920x1080 \
    --screenshot "$OUT/compare.png"
$PY main.py --headless --lesson correlated-features --pane stability --size 1920x1080 \
    --screenshot "$OUT/stability.png"
$PY main.py --headless --dataset correlated --pane wins --size 1920x1080 \
    --screenshot "$OUT/wins.png"
# issue 17: the thresholding function and the prior
$PY main.py --headless --lesson thresholding --pane threshold --size 1920x1080 \
    --screenshot "$OUT/threshold.png"
$PY main.py --headless --lesson laplace-prior --pane prior --size 1920x1080 \
    --screenshot "$OUT/prior.png"
