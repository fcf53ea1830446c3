// Types for the untyped `black-scholes` npm package (CommonJS), used as a baseline.
declare module "black-scholes" {
  const bs: {
    blackScholes(s: number, k: number, t: number, v: number, r: number, callPut: "call" | "put"): number;
  };
  export default bs;
}
