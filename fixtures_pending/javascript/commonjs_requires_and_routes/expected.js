const express = require('express');
const health = require('./health');
const metrics = require('./metrics');
const version = require('./version');

const app = express();
app.get('/health', health);
app.get('/metrics', metrics);
app.get('/version', version);

module.exports = app;
