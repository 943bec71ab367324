# Independent reference for rsw_eval.inference (permutation p and the interval by test inversion).
# Run: Rscript tests/reference/panel_permutation.R > tests/reference/panel_permutation.json
# Base R only: statistics recomputed from scratch for every assignment (combn), the interval's ends
# found by bisection on the acceptance indicator (the acceptance set is an interval around the
# estimate), to 1e-12.
delta <- c(-2.1, 0.4, -0.3, 1.2, 0.1, -0.8, 0.6, 0.9, -0.2, 0.3, -1.1)
scale <- c(1.6, 0.9, 1.1, 1.0, 0.8, 1.3, 1.2, 0.7, 1.0, 0.9, 1.1)

stat <- function(d, s, a) {  # studentised difference in means, assignment a treated
  inside <- seq_along(d) %in% a
  nt <- sum(inside); nc <- sum(!inside)
  (mean(d[inside]) - mean(d[!inside])) / sqrt(sum(s[inside]^2) / nt^2 + sum(s[!inside]^2) / nc^2)
}
pval <- function(d, s, treated, effect) {
  d[treated] <- d[treated] - effect
  sets <- combn(length(d), length(treated), simplify = FALSE)
  t0 <- abs(stat(d, s, treated))
  ts <- sapply(sets, function(a) abs(stat(d, s, a)))
  sum(ts >= t0 * (1 - 1e-12)) / length(sets)
}
ends <- function(d, s, treated, alpha, est) {
  accept <- function(e) pval(d, s, treated, e) > alpha + 1e-12
  bisect <- function(inside, outside) {
    for (i in 1:80) { mid <- (inside + outside) / 2; if (accept(mid)) inside <- mid else outside <- mid }
    inside
  }
  c(bisect(est, est - 50), bisect(est, est + 50))
}
case <- function(treated, alpha) {
  m <- length(combn(length(delta), length(treated), simplify = FALSE))
  est <- mean(delta[treated]) - mean(delta[-treated])
  ci <- ends(delta, scale, treated, alpha, est)
  sprintf('{"treated": [%s], "alpha": %.17g, "assignments": %d, "estimate": %.17g, "p_value": %.17g, "ci_low": %.17g, "ci_high": %.17g}',
          paste(treated - 1, collapse = ", "), alpha, m, est, pval(delta, scale, treated, 0), ci[1], ci[2])
}
cat("{\n")
cat(sprintf('"delta": [%s],\n', paste(sprintf("%.17g", delta), collapse = ", ")))
cat(sprintf('"scale": [%s],\n', paste(sprintf("%.17g", scale), collapse = ", ")))
cat('"cases": [\n')
cat(case(1, 1 / 11), ",\n")      # one treated, 10 others: the 90.9% interval
cat(case(c(1, 2), 2 / 55), "\n")  # two treated among 11: 55 assignments, c = 2: 96.4% interval
cat("]\n}\n")
