// Loopback network tests share the port range 16572-16603 and measure timing; run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
