/* sim_fwps.h: for harnesses of WFP callout drivers, not drivers. spinsim
 * has no filtering engine; a harness plays it by asking for classifications.
 *
 *     // the callout id the driver's DriverEntry stores, read when it runs
 *     sim_fwps_classify_later(1, &gInboundTlCalloutIdV4, &values, &metadata, nbl, 0, &out);
 */
#ifndef SIM_FWPS_H
#define SIM_FWPS_H

#include "fwpsk.h"
#include "sim.h"

/* The engine classifies at a step the scheduler chooses (a role of
 * sim_dpc_later, named classifyFn): on `cpu`, at DISPATCH_LEVEL, it calls
 * the classifyFn of the callout whose id is in *calloutId when the
 * classification runs (so the id the driver stores in DriverEntry can be
 * named before DriverEntry runs), with the given values, metadata, layer
 * data (a NET_BUFFER_LIST at the transport layers) and flow context, a
 * filter whose action names the callout, and classifyOut with
 * FWPS_RIGHT_ACTION_WRITE set. Everything passed must live for the run
 * (sim_alloc or static). A callout unregistered by then is not called, as
 * the engine calls no unregistered callout; an id no callout was
 * registered under stops the run as a bad scenario. */
void sim_fwps_classify_later(int cpu, const UINT32 *calloutId, const FWPS_INCOMING_VALUES0 *values,
                             const FWPS_INCOMING_METADATA_VALUES0 *metadata, void *layerData, UINT64 flowContext,
                             FWPS_CLASSIFY_OUT0 *classifyOut);

#endif
