/* initguid.h: included before a header that uses DEFINE_GUID, it makes
 * that header define its GUIDs instead of declaring them. */
#define INITGUID
#include "guiddef.h"
