-- forecasts: Wang–Song–Barabási fits and 3/6/12-month forecasts of base-model adoption.
-- Grain: one row per fitted series: each base model (relation all) and each of its relations with >= 10 direct derivatives.
-- Reads: marts.forecast_fits.
CREATE OR REPLACE VIEW forecasts AS
SELECT base_model_id, relation, n_months, derivatives_now, size_class, release_at, release_source,
       "lambda", mu, sigma, m, m_mode, fit_input, prior, converged, reason, r2_log, rmse_log,
       se_lambda, se_mu, se_sigma, se_log_m, dispersion, c_inf, forecast_model, interval_method,
       forecast_h3, forecast_h3_low, forecast_h3_high, forecast_h6, forecast_h6_low, forecast_h6_high,
       forecast_h12, forecast_h12_low, forecast_h12_high,
       forecast_h3_low_model, forecast_h3_high_model, forecast_h6_low_model, forecast_h6_high_model,
       forecast_h12_low_model, forecast_h12_high_model, as_of
FROM marts.forecast_fits;
COMMENT ON VIEW forecasts IS 'One row per base model (relation all) and per relation of it with >= 10 direct derivatives: Wang–Song–Barabási parameters, diagnostics, fit quality, ultimate impact and forecasts 3/6/12 months ahead with 80% intervals (the published forecast of hubmine forecast: the mean of the paper''s WSB fit, the linear trends of 3 and 6 months, the drift and Bass diffusion, see forecast_model; the interval calibrated on the backtest errors, see interval_method; the WSB fit, on the creation times, is published for its parameters, refitted with a prior from the population of base models where it does not converge on its own: see prior).';
COMMENT ON COLUMN forecasts.base_model_id IS 'Repo id of the base model.';
COMMENT ON COLUMN forecasts.relation IS 'all (every direct derivative), or adapter, finetune, merge, quantized.';
COMMENT ON COLUMN forecasts.n_months IS 'Complete months since release (points of the monthly series).';
COMMENT ON COLUMN forecasts.derivatives_now IS 'Cumulative derivatives at the end of the last complete month.';
COMMENT ON COLUMN forecasts.size_class IS 'Decade of the base model''s derivatives_now (relation all): 10-99, 100-999, 1000+.';
COMMENT ON COLUMN forecasts.release_at IS 'Start of month 1 (base createdAt, or first derivative when earlier or unknown).';
COMMENT ON COLUMN forecasts.release_source IS 'base_created or first_derivative.';
COMMENT ON COLUMN forecasts."lambda" IS 'λ, fitness.';
COMMENT ON COLUMN forecasts.mu IS 'μ, immediacy (log-months to the growth peak).';
COMMENT ON COLUMN forecasts.sigma IS 'σ, longevity (spread in log-months).';
COMMENT ON COLUMN forecasts.m IS 'm, scale in derivatives (estimated per series).';
COMMENT ON COLUMN forecasts.m_mode IS 'estimated or fixed.';
COMMENT ON COLUMN forecasts.fit_input IS 'spacings (creation times) or steps (monthly counts): what the fit used.';
COMMENT ON COLUMN forecasts.prior IS 'none (fitted on the series'' own data) or population (that fit did not converge: refitted with the prior from the population of base models).';
COMMENT ON COLUMN forecasts.converged IS 'True when the fit converged at an interior optimum without a λ blow-up.';
COMMENT ON COLUMN forecasts.reason IS 'Why not converged, or "not fitted: <reason>"; NULL when converged.';
COMMENT ON COLUMN forecasts.r2_log IS 'R² on log1p(cumulative) of the monthly series.';
COMMENT ON COLUMN forecasts.rmse_log IS 'RMSE on log1p(cumulative) of the monthly series.';
COMMENT ON COLUMN forecasts.se_lambda IS 'Standard error of λ.';
COMMENT ON COLUMN forecasts.se_mu IS 'Standard error of μ.';
COMMENT ON COLUMN forecasts.se_sigma IS 'Standard error of σ.';
COMMENT ON COLUMN forecasts.se_log_m IS 'Standard error of ln m.';
COMMENT ON COLUMN forecasts.dispersion IS 'Quasi-Poisson dispersion of the monthly counts.';
COMMENT ON COLUMN forecasts.c_inf IS 'Ultimate impact c∞ = m(e^λ − 1); NULL unless the fit converged.';
COMMENT ON COLUMN forecasts.forecast_model IS 'The components of the published mean that gave a forecast, e.g. mean(paper,linear3,linear,bass,drift) (per horizon, h3: …; h6: …, when they differ); NULL when the series could not be fitted.';
COMMENT ON COLUMN forecasts.interval_method IS 'calibrated (intervals from the backtest errors, marts.forecast_calibration) or none (too few backtests to calibrate: no interval).';
COMMENT ON COLUMN forecasts.forecast_h3 IS 'Forecast cumulative derivatives 3 months ahead.';
COMMENT ON COLUMN forecasts.forecast_h3_low IS '10th percentile of the 3-month forecast (published 80% interval).';
COMMENT ON COLUMN forecasts.forecast_h3_high IS '90th percentile of the 3-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h6 IS 'Forecast 6 months ahead.';
COMMENT ON COLUMN forecasts.forecast_h6_low IS '10th percentile of the 6-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h6_high IS '90th percentile of the 6-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h12 IS 'Forecast 12 months ahead.';
COMMENT ON COLUMN forecasts.forecast_h12_low IS '10th percentile of the 12-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h12_high IS '90th percentile of the 12-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h3_low_model IS 'Not set (NULL): the published combination states no interval of its own; kept for the schema.';
COMMENT ON COLUMN forecasts.forecast_h3_high_model IS 'Not set (NULL): the published combination states no interval of its own; kept for the schema.';
COMMENT ON COLUMN forecasts.forecast_h6_low_model IS 'Not set (NULL): the published combination states no interval of its own; kept for the schema.';
COMMENT ON COLUMN forecasts.forecast_h6_high_model IS 'Not set (NULL): the published combination states no interval of its own; kept for the schema.';
COMMENT ON COLUMN forecasts.forecast_h12_low_model IS 'Not set (NULL): the published combination states no interval of its own; kept for the schema.';
COMMENT ON COLUMN forecasts.forecast_h12_high_model IS 'Not set (NULL): the published combination states no interval of its own; kept for the schema.';
COMMENT ON COLUMN forecasts.as_of IS 'Time of the listing the series was counted from.';
