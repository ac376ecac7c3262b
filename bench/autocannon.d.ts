// autocannon ships no types; this declares the part of its API the bench uses.
declare module 'autocannon' {
  interface Histogram {
    p50: number;
    p99: number;
    average: number;
  }
  interface Result {
    '2xx': number;
    non2xx: number;
    errors: number;
    timeouts: number;
    duration: number;
    latency: Histogram;
    requests: Histogram;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    /** stop after this many requests instead of after `duration` */
    amount?: number;
    requests?: { setupRequest?: (req: any, context: any) => any }[];
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
