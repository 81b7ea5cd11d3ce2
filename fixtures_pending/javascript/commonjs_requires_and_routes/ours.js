const express = require('express');
const health = require('./health');
const metrics = require('./metrics');

const app = express();
app.get('/health', health);
app.get('/metrics', metrics);

module.exports = app;
