#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build step: CC, CFLAGS, LIB_FUZZING_ENGINE and
# OUT are set by the builder, which puts ./build.sh in its OSS-Fuzz mode.
./build.sh
