package dev.udriver.runtime.wiring;

/** Named like a wiring, but is not one. */
public final class Drivers_NotAWiring_Wiring {}
