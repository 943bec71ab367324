"""Public data sets used as references (values as printed in R's datasets package)."""

import numpy as np

# R datasets::mtcars (Henderson & Velleman 1981), columns mpg, wt, am, in row order.
MPG = np.array(
    [
        21,
        21,
        22.8,
        21.4,
        18.7,
        18.1,
        14.3,
        24.4,
        22.8,
        19.2,
        17.8,
        16.4,
        17.3,
        15.2,
        10.4,
        10.4,
        14.7,
        32.4,
        30.4,
        33.9,
        21.5,
        15.5,
        15.2,
        13.3,
        19.2,
        27.3,
        26,
        30.4,
        15.8,
        19.7,
        15,
        21.4,
    ]
)
WT = np.array(
    [
        2.62,
        2.875,
        2.32,
        3.215,
        3.44,
        3.46,
        3.57,
        3.19,
        3.15,
        3.44,
        3.44,
        4.07,
        3.73,
        3.78,
        5.25,
        5.424,
        5.345,
        2.2,
        1.615,
        1.835,
        2.465,
        3.52,
        3.435,
        3.84,
        3.845,
        1.935,
        2.14,
        1.513,
        3.17,
        2.77,
        3.57,
        2.78,
    ]
)
AM = np.array(
    [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]
)
# R's formula interface puts am = 0 (automatic) first: x = automatic, y = manual.
MPG_AUTO, MPG_MANUAL = MPG[AM == 0], MPG[AM == 1]
WT_AUTO, WT_MANUAL = WT[AM == 0], WT[AM == 1]

# Hollander & Wolfe (1973, p. 69), R ?wilcox.test: depression scale after therapy.
HW_X = np.array([0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46])
HW_Y = np.array([1.15, 0.88, 0.90, 0.74, 1.21])

# Brunner & Munzel (2000, Table 1): pain scores after surgery, two groups.
BM_X = np.array([1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 1, 1])
BM_Y = np.array([3, 3, 4, 3, 1, 2, 3, 1, 1, 5, 4])

# Shrout & Fleiss (1979, Table 2): 6 targets rated by 4 judges (column-major, one judge per column).
SF_RATINGS = np.array([9, 6, 8, 7, 10, 6, 2, 1, 4, 1, 5, 2, 5, 3, 6, 2, 6, 4, 8, 2, 8, 6, 9, 7], dtype=float)
SF_TARGETS = np.tile(np.arange(6), 4)
