# Reference values for rsw_eval.stats.mixed_effect (REML/ML nested random intercepts, Satterthwaite
# and Kenward-Roger df) and rsw_eval.stats.cr2_diff (CR2 SE with Satterthwaite df) on the sample
# worker survey. Run from the repository root:
#   Rscript tests/reference/survey/survey_reference.R > tests/reference/survey/survey_reference.csv
suppressPackageStartupMessages({
  library(lme4); library(lmerTest); library(pbkrtest); library(clubSandwich)
})
d <- read.csv("data/sample/worker_survey.csv", stringsAsFactors = FALSE)
d$treat <- as.numeric(d$model == "unit")
d$unit_id <- paste(d$authority, d$unit, sep = "/")
d$no_time_for_reflection <- as.numeric(d$no_time_for_reflection == "yes")
d$experienced_violence <- as.numeric(d$experienced_violence == "yes")
out <- data.frame()
add <- function(...) out <<- rbind(out, data.frame(..., stringsAsFactors = FALSE))
ctrl <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5),
                    check.conv.singular = "ignore")
for (y in c("job_satisfaction", "practice_quality", "reflection_hours_per_week",
            "pct_time_direct_work", "confidence_assessment")) {
  f <- as.formula(paste(y, "~ treat + (1 | authority) + (1 | unit_id)"))
  for (reml in c(TRUE, FALSE)) {
    m <- lmerTest::lmer(f, data = d, REML = reml, control = ctrl)
    vc <- as.data.frame(VarCorr(m))
    crit <- if (reml) "reml" else "ml"
    add(source = "lme4", outcome = y, fit = crit, quantity = "beta_treat", value = fixef(m)[["treat"]])
    add(source = "lme4", outcome = y, fit = crit, quantity = "beta_intercept",
        value = fixef(m)[["(Intercept)"]])
    add(source = "lme4", outcome = y, fit = crit, quantity = "se_treat",
        value = sqrt(vcov(m)["treat", "treat"]))
    add(source = "lme4", outcome = y, fit = crit, quantity = "var_authority",
        value = vc$vcov[vc$grp == "authority"])
    add(source = "lme4", outcome = y, fit = crit, quantity = "var_unit", value = vc$vcov[vc$grp == "unit_id"])
    add(source = "lme4", outcome = y, fit = crit, quantity = "var_residual",
        value = vc$vcov[vc$grp == "Residual"])
    add(source = "lme4", outcome = y, fit = crit, quantity = "deviance",
        value = if (reml) REMLcrit(m) else deviance(m))
    if (reml) {
      s <- summary(m, ddf = "Satterthwaite")$coefficients
      add(source = "lmerTest", outcome = y, fit = crit, quantity = "df_satterthwaite", value = s["treat", "df"])
      k <- summary(m, ddf = "Kenward-Roger")$coefficients
      add(source = "lmerTest+pbkrtest", outcome = y, fit = crit, quantity = "df_kenward_roger",
          value = k["treat", "df"])
      add(source = "lmerTest+pbkrtest", outcome = y, fit = crit, quantity = "se_kenward_roger",
          value = k["treat", "Std. Error"])
    }
  }
}
# CR2 (Bell & McCaffrey) with Satterthwaite df, clustered by unit; every comparison the engine makes
comparisons <- list("all conventional" = d$model == "conventional")
for (a in sort(unique(d$authority[d$model == "conventional"]))) comparisons[[a]] <- d$authority == a
for (y in c("job_satisfaction", "practice_quality", "reflection_hours_per_week", "pct_time_direct_work",
            "no_time_for_reflection", "experienced_violence")) {
  for (cmp in names(comparisons)) {
    s <- d[(d$treat == 1 | comparisons[[cmp]]) & !is.na(d[[y]]), ]
    m <- lm(as.formula(paste(y, "~ treat")), data = s)
    ct <- coef_test(m, vcov = "CR2", cluster = s$unit_id, test = "Satterthwaite")
    r <- ct[ct$Coef == "treat", ]
    add(source = "clubSandwich", outcome = y, fit = cmp, quantity = "cr2_estimate", value = r$beta)
    add(source = "clubSandwich", outcome = y, fit = cmp, quantity = "cr2_se", value = r$SE)
    add(source = "clubSandwich", outcome = y, fit = cmp, quantity = "cr2_df", value = r$df_Satt)
    add(source = "clubSandwich", outcome = y, fit = cmp, quantity = "cr2_p", value = r$p_Satt)
  }
}
# A second data set with interior variance estimates (generated once by numpy, committed beside this
# script): 6 authorities (3 unit model), units nested in them, treatment at the authority level.
e <- read.csv("tests/reference/survey/nested_interior.csv", stringsAsFactors = FALSE)
e$treat <- as.numeric(e$model == "unit")
e$unit_id <- paste(e$authority, e$unit, sep = "/")
for (reml in c(TRUE, FALSE)) {
  m <- lmerTest::lmer(y ~ treat + (1 | authority) + (1 | unit_id), data = e, REML = reml, control = ctrl)
  vc <- as.data.frame(VarCorr(m))
  crit <- if (reml) "reml" else "ml"
  add(source = "lme4", outcome = "interior", fit = crit, quantity = "beta_treat", value = fixef(m)[["treat"]])
  add(source = "lme4", outcome = "interior", fit = crit, quantity = "beta_intercept",
      value = fixef(m)[["(Intercept)"]])
  add(source = "lme4", outcome = "interior", fit = crit, quantity = "se_treat",
      value = sqrt(vcov(m)["treat", "treat"]))
  add(source = "lme4", outcome = "interior", fit = crit, quantity = "var_authority",
      value = vc$vcov[vc$grp == "authority"])
  add(source = "lme4", outcome = "interior", fit = crit, quantity = "var_unit", value = vc$vcov[vc$grp == "unit_id"])
  add(source = "lme4", outcome = "interior", fit = crit, quantity = "var_residual",
      value = vc$vcov[vc$grp == "Residual"])
  add(source = "lme4", outcome = "interior", fit = crit, quantity = "deviance",
      value = if (reml) REMLcrit(m) else deviance(m))
  if (reml) {
    s <- summary(m, ddf = "Satterthwaite")$coefficients
    add(source = "lmerTest", outcome = "interior", fit = crit, quantity = "df_satterthwaite", value = s["treat", "df"])
    k <- summary(m, ddf = "Kenward-Roger")$coefficients
    add(source = "lmerTest+pbkrtest", outcome = "interior", fit = crit, quantity = "df_kenward_roger",
        value = k["treat", "df"])
  }
}
# one level (units only, treatment varying between units) for the single-authority case
m1 <- lmerTest::lmer(y ~ treat + (1 | unit_id), data = e, REML = TRUE, control = ctrl)
vc <- as.data.frame(VarCorr(m1))
add(source = "lme4", outcome = "interior_one_level", fit = "reml", quantity = "beta_treat", value = fixef(m1)[["treat"]])
add(source = "lme4", outcome = "interior_one_level", fit = "reml", quantity = "se_treat",
    value = sqrt(vcov(m1)["treat", "treat"]))
add(source = "lme4", outcome = "interior_one_level", fit = "reml", quantity = "var_unit",
    value = vc$vcov[vc$grp == "unit_id"])
add(source = "lme4", outcome = "interior_one_level", fit = "reml", quantity = "var_residual",
    value = vc$vcov[vc$grp == "Residual"])
s <- summary(m1, ddf = "Satterthwaite")$coefficients
add(source = "lmerTest", outcome = "interior_one_level", fit = "reml", quantity = "df_satterthwaite",
    value = s["treat", "df"])
write.csv(out, stdout(), row.names = FALSE)
cat(sprintf("# %s; lme4 %s, lmerTest %s, pbkrtest %s, clubSandwich %s\n", R.version.string,
            packageVersion("lme4"), packageVersion("lmerTest"), packageVersion("pbkrtest"),
            packageVersion("clubSandwich")), file = stderr())
