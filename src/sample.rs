//! Summaries of a sample that metrics and action items share: quantiles
//! and ratios.

/// The `num/den` quantile of `sorted` by linear interpolation between the
/// closest ranks: definition 7 of Hyndman and Fan (1996), the default of
/// NumPy, R and Excel's `PERCENTILE.INC`. With `n` values and `p = num/den`,
/// the position is `h = (n − 1)·p` (0-based) and the value
/// `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋])`. The position is computed in
/// integers, so the p90 of whole minutes has no rounding error.
pub fn quantile(sorted: &[f64], num: usize, den: usize) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let position = last * num;
    let (index, remainder) = (position / den, position % den);
    let low = sorted[index];
    if remainder == 0 {
        return Some(low);
    }
    let high = sorted[index + 1];
    Some(low + (high - low) * remainder as f64 / den as f64)
}

/// `part / whole`, `None` when `whole` is 0.
pub fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_closest_ranks() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        // numpy.percentile(range(1, 11), [50, 90]) == [5.5, 9.1]
        assert_eq!(quantile(&x, 1, 2), Some(5.5));
        assert_eq!(quantile(&x, 9, 10), Some(9.1));
        assert_eq!(quantile(&[7.0], 9, 10), Some(7.0));
        assert_eq!(quantile(&[], 1, 2), None);
        // h = 3 · 0.9 = 2.7: 30 + 0.7 · (100 − 30) = 79
        assert_eq!(quantile(&[0.0, 10.0, 30.0, 100.0], 9, 10), Some(79.0));
    }
}
