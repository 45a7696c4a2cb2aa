#include "core/drift/special_functions.h"

#include <cmath>
#include <limits>

namespace geih::drift {

namespace {

constexpr int kMaxIterations = 10'000;
constexpr double kEpsilon = 1e-16;

// P(a, x) by its power series: e^-x x^a / Γ(a+1) * Σ x^n / ((a+1)...(a+n)).
double lowerSeries(double a, double x) {
  double term = 1.0 / a;
  double sum = term;
  for (int n = 1; n < kMaxIterations; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::abs(term) < std::abs(sum) * kEpsilon) break;
  }
  return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Q(a, x) by the continued fraction e^-x x^a / Γ(a) * 1/(x+1-a- 1(1-a)/(x+3-a- 2(2-a)/(x+5-a-...))),
// evaluated with the modified Lentz method.
double upperFraction(double a, double x) {
  constexpr double tiny = std::numeric_limits<double>::min() / kEpsilon;
  double b = x + 1.0 - a;
  double c = 1.0 / tiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < kMaxIterations; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1.0) < kEpsilon) break;
  }
  return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

}  // namespace

double upperIncompleteGammaQ(double a, double x) {
  if (!(a > 0) || std::isnan(x)) return std::numeric_limits<double>::quiet_NaN();
  if (x <= 0) return 1.0;
  if (std::isinf(x)) return 0.0;
  if (x < a + 1.0) return 1.0 - lowerSeries(a, x);
  return upperFraction(a, x);
}

double chiSquareSurvival(double x, double dof) { return upperIncompleteGammaQ(dof / 2.0, x / 2.0); }

double normalTwoSidedP(double z) {
  if (std::isnan(z)) return std::numeric_limits<double>::quiet_NaN();
  return std::erfc(std::abs(z) / std::sqrt(2.0));
}

}  // namespace geih::drift
