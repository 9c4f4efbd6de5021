// Terraform and the AWS provider are Go programs; in the tests much of their
// CPU is garbage collection in short-lived processes. GOGC=400 collects a
// quarter as often: the gate's combined plan of every stack and its HCL twin
// takes 33 CPU-seconds instead of 44, for a peak of 5.1 GB instead of 3.4 GB
// across terraform and every provider process. Only the tests set it; a
// developer's own GOGC wins.
process.env.GOGC ??= "400";
