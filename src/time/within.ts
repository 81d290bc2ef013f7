/** Resolves with the promise's value, or with undefined once `ms` have passed (or if it fails). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([
    promise.then(
      (value) => value,
      () => undefined,
    ),
    timeout,
  ]).finally(() => clearTimeout(timer));
}
