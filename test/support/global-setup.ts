// Filled in with the database template set-up; kept empty so pure domain tests can run meanwhile.
export default async function setup(): Promise<void> {}
