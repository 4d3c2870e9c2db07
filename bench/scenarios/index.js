// The scenarios in the order they run and are numbered (issue 5).
import throughput from './throughput.js';
import openModel from './open-model.js';
import latency from './latency.js';
import mockCapacity from './mock-capacity.js';
import simulatedTime from './simulated-time.js';
import memory from './memory.js';
import scaleOut from './scale-out.js';
import proxyOverhead from './proxy-overhead.js';
import virtualTime from './virtual-time.js';
import baseline from './baseline.js';

export const SCENARIOS = [throughput, openModel, latency, mockCapacity, simulatedTime, memory, scaleOut, proxyOverhead, virtualTime, baseline];
