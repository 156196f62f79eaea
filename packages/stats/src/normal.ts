/** Φ⁻¹(0.975): the two-sided 95% standard normal quantile, to double precision. */
export const Z_95 = 1.959963984540054;
