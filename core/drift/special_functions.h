// Survival functions the drift tests turn statistics into p-values with.
#pragma once

namespace geih::drift {

// Regularised upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), for a > 0, x >= 0
// (series below a + 1, Lentz's continued fraction above). Relative accuracy ~1e-14.
double upperIncompleteGammaQ(double a, double x);

// P(X > x) for X ~ chi-square with `dof` degrees of freedom (scipy.stats.chi2.sf); 0 for x = inf.
double chiSquareSurvival(double x, double dof);

// P(|Z| > |z|) for a standard normal Z: the two-sided p-value of a z statistic.
double normalTwoSidedP(double z);

}  // namespace geih::drift
