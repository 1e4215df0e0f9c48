#include "hostsimlog.h"

Q_LOGGING_CATEGORY(lcHostSim, "aetherv.hostsim", QtInfoMsg)
