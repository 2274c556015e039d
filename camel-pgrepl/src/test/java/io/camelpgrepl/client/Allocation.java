package io.camelpgrepl.client;

import java.lang.management.ManagementFactory;

/** Measures what a piece of code allocates on the calling thread (the fuzz targets' memory oracle). */
public final class Allocation {

    /** A piece of code to measure. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private Allocation() {
    }

    /**
     * Runs {@code work} twice and returns the bytes the second run allocated: the first run loads the classes the
     * input reaches, which would otherwise count as its allocation.
     */
    public static long ofSecondRun(Work work) throws Exception {
        work.run();
        long before = allocatedBytes();
        work.run();
        return allocatedBytes() - before;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
