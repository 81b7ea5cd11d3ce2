const express = require('express');
const health = require('./health');
const version = require('./version');

const app = express();
app.get('/health', health);
app.get('/version', version);

module.exports = app;
